package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.spark.SparkTestSession;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class FriedmanTest {
  @Test
  void columns() {
    assertEquals(List.of("x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "label"),
        Friedman.columns());
  }

  @Test
  void targetIsTheFormula() {
    // 10 sin(pi/4) + 20 (0.5 - 0.5)^2 + 10 * 0.1 + 5 * 0.2
    double[] x = {0.5, 0.5, 0.5, 0.1, 0.2, 0.9, 0.9, 0.9, 0.9, 0.9};
    assertEquals(10 * Math.sqrt(0.5) + 1.0 + 1.0, Friedman.target(x), 1e-13);
    // 10 sin(pi/2) + 20 (1 - 0.5)^2 + 10 + 5
    double[] y = {1, 0.5, 1, 1, 1, 0, 0, 0, 0, 0};
    assertEquals(10 + 5 + 10 + 5, Friedman.target(y), 1e-13);
  }

  @Test
  void noiselessRowsAreTheFormulaOnUniformX() {
    double[] x = new double[10];
    for (long i = 0; i < 50; i++) {
      Arrays.fill(x, -1.0); // junk: every entry must be overwritten
      double y = Friedman.row(7, i, 0.0, x);
      for (double v : x) {
        assertTrue(v >= 0 && v < 1, "x in [0,1): " + v);
      }
      double expected = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5)
          + 10 * x[3] + 5 * x[4];
      assertEquals(expected, y, 1e-12, "row " + i);
    }
  }

  @Test
  void rowsDependOnlyOnSeedAndIndex() {
    double[] a = new double[10];
    double[] b = new double[10];
    double ya = Friedman.row(1, 12345, 1.0, a);
    for (long i = 0; i < 100; i++) {
      Friedman.row(1, i, 1.0, b); // other rows first: no shared state
    }
    double yb = Friedman.row(1, 12345, 1.0, b);
    assertArrayEquals(a, b);
    assertEquals(ya, yb);
    // The noise sd scales the noise only; x is the same.
    double yc = Friedman.row(1, 12345, 2.0, b);
    assertArrayEquals(a, b);
    assertEquals(2 * (ya - Friedman.target(a)), yc - Friedman.target(b), 1e-12);
    // Other seeds and neighbouring rows differ.
    Friedman.row(2, 12345, 1.0, b);
    assertNotEquals(a[0], b[0]);
    Friedman.row(1, 12346, 1.0, b);
    assertNotEquals(a[0], b[0]);
  }

  @Test
  void uniformFeaturesAndStandardNormalNoise() {
    int n = 20_000;
    double[] x = new double[10];
    double sx = 0;
    double se = 0;
    double se2 = 0;
    for (long i = 0; i < n; i++) {
      double y = Friedman.row(3, i, 1.0, x);
      sx += x[5];
      double e = y - Friedman.target(x);
      se += e;
      se2 += e * e;
    }
    double meanE = se / n;
    double sdE = Math.sqrt(se2 / n - meanE * meanE);
    // Standard errors: x mean 0.29/sqrt(n) = 0.002; noise mean 0.007, sd 0.005. Bounds ~5 se.
    assertEquals(0.5, sx / n, 0.01, "mean of x6");
    assertEquals(0.0, meanE, 0.035, "mean of the noise");
    assertEquals(1.0, sdE, 0.025, "sd of the noise");
  }

  /**
   * The three-target DataFrame holds, per row index, {@link Friedman#row}'s x and label (y1) and
   * {@link Friedman#targets}' f2, f3 of the same x. spark.range deals consecutive index ranges to
   * the partitions, so collecting keeps index order.
   */
  @Test
  void threeTargetDataFrameIsTheRowFunctions() {
    List<Row> rows = Friedman.dataFrame(SparkTestSession.get(), 40, 9, 0.5, 3, 3).collectAsList();
    assertEquals(List.of("x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "y1", "y2",
        "y3"), Arrays.asList(rows.get(0).schema().fieldNames()));
    assertEquals(40, rows.size());
    double[] x = new double[10];
    double[] f = new double[3];
    for (int i = 0; i < 40; i++) {
      double y = Friedman.row(9, i, 0.5, x);
      Friedman.targets(x, f);
      double[] got = new double[13];
      for (int j = 0; j < 13; j++) {
        got[j] = rows.get(i).getDouble(j);
      }
      double[] expected = Arrays.copyOf(x, 13);
      expected[10] = y;
      expected[11] = f[1];
      expected[12] = f[2];
      assertArrayEquals(expected, got, "row " + i);
    }
  }
}
