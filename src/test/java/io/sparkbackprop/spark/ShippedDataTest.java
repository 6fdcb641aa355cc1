package io.sparkbackprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.ml.Friedman;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Parquet files in data/ are what data/README.md says they are. */
class ShippedDataTest {
  @Test
  void diabetes() {
    BlockData.Loaded t = TestData.load(SparkTestSession.get().read()
        .parquet("data/diabetes.parquet"), "label", null, 0, 1000, false, null);
    assertEquals(List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"),
        t.featureNames());
    assertEquals(442, t.trainingRows());
    Block b = t.training().first();
    // The first line of diabetes.csv: 59,2,32.1,101,157,93.2,38,4,4.8598,87 -> 151
    double[] first = new double[10];
    for (int j = 0; j < 10; j++) {
      first[j] = ((Block.Doubles) b).x()[j * b.n()];
    }
    assertArrayEquals(new double[] {59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87}, first);
    assertEquals(151.0, ((Block.Doubles) b).y()[0]);
    t.close();
  }

  @Test
  void friedman10k() {
    BlockData.Loaded t = TestData.load(SparkTestSession.get().read()
        .parquet("data/friedman-10k.parquet"), "label", null, 0, 100, false, null);
    assertEquals(Friedman.columns().subList(0, 10), t.featureNames());
    assertEquals(10_000, t.trainingRows());
    // One part file written in row order: the first block is rows 0..99 of seed 1, noise sd 1.
    Block b = t.training().first();
    double[] x = new double[10];
    for (int i = 0; i < b.n(); i++) {
      double y = Friedman.row(1, i, 1.0, x);
      assertEquals(y, ((Block.Doubles) b).y()[i], "label of row " + i);
      for (int j = 0; j < 10; j++) {
        assertEquals(x[j], ((Block.Doubles) b).x()[j * b.n() + i], "x" + (j + 1) + " of row " + i);
      }
    }
    t.close();
  }
}
