package io.sparkbackprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowSampleTest {
  /** 1000 rows in blocks of 100; feature 0 of row i is i, feature 1 is -i, label i. */
  private static List<Block> blocks() {
    List<Block> out = new ArrayList<>();
    for (int s = 0; s < 1000; s += 100) {
      double[] x = new double[200];
      double[] y = new double[100];
      for (int i = 0; i < 100; i++) {
        x[i] = s + i;
        x[100 + i] = -(s + i);
        y[i] = s + i;
      }
      out.add(new Block.Doubles(100, x, y));
    }
    return out;
  }

  private static double[] labels(Iterator<Block> it) {
    List<Double> v = new ArrayList<>();
    while (it.hasNext()) {
      Block b = it.next();
      for (int i = 0; i < b.n(); i++) {
        assertEquals(((Block.Doubles) b).y()[i], ((Block.Doubles) b).x()[i], "feature 0 travels with its label");
        assertEquals(-((Block.Doubles) b).y()[i], ((Block.Doubles) b).x()[b.n() + i], "feature 1 travels with its label");
        v.add(((Block.Doubles) b).y()[i]);
      }
    }
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void sampleIsDeterministicPerSeedIterationAndPartition() {
    double[] a = labels(RowSample.sample(blocks().iterator(), 0.3, 7, 5, 2));
    double[] b = labels(RowSample.sample(blocks().iterator(), 0.3, 7, 5, 2));
    assertArrayEquals(a, b, "same seed, iteration and partition");
    assertFalse(java.util.Arrays.equals(a, labels(RowSample.sample(blocks().iterator(), 0.3, 7, 6, 2))),
        "another iteration draws another sample");
    assertFalse(java.util.Arrays.equals(a, labels(RowSample.sample(blocks().iterator(), 0.3, 8, 5, 2))),
        "another seed draws another sample");
    assertTrue(a.length > 230 && a.length < 370, "about 30% of 1000 rows, got " + a.length);
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i] > a[i - 1], "rows keep their order");
    }
  }

  @Test
  void emptySampleGivesNoBlocks() {
    assertFalse(RowSample.sample(blocks().iterator(), 0.0, 1, 1, 0).hasNext());
  }
}
