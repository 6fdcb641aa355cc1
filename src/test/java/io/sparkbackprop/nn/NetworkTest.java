package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The flat weight layout and its textbook view, and seeded initialisation.
 *
 * <p>Layout under test (Network's Javadoc): {@code flat[offset(l) + (to-1)*(in+1) + from] ==
 * W[l][from][to]}, with from = 0 the bias.
 */
class NetworkTest {
  private static final Network NET = Network.of(new int[] {3, 4, 2, 1},
      new Activation[] {Activation.TANH, Activation.RELU, Activation.IDENTITY});

  @Test
  void offsetsFollowTheLayerSizes() {
    // (3+1)*4 = 16, (4+1)*2 = 10, (2+1)*1 = 3
    assertEquals(29, NET.size(), "size of 3-4-2-1");
    assertEquals(0, NET.offset(1), "offset(1)");
    assertEquals(16, NET.offset(2), "offset(2)");
    assertEquals(26, NET.offset(3), "offset(3)");
    assertTrue(Arrays.equals(new int[] {3, 4, 2, 1}, NET.widths()),
        () -> "widths expected [3, 4, 2, 1], got " + Arrays.toString(NET.widths()));
    assertEquals("3-4-2-1 tanh,relu,identity", NET.toString(), "toString");
  }

  @Test
  void indexAndNameFollowTheDocumentedLayoutAndCoverEveryWeightOnce() {
    boolean[] seen = new boolean[NET.size()];
    for (int l = 1; l <= NET.depth(); l++) {
      LayerSpec s = NET.layer(l);
      for (int to = 1; to <= s.out(); to++) {
        for (int from = 0; from <= s.in(); from++) {
          int i = NET.index(l, from, to);
          int documented = NET.offset(l) + (to - 1) * (s.in() + 1) + from;
          assertEquals(documented, i, "index of W[" + l + "][" + from + "][" + to + "]");
          String name = "W[" + l + "][" + from + "][" + to + "]";
          assertEquals(name, NET.name(i), "name of flat index " + i);
          assertFalse(seen[i], "flat index " + i + " used twice (again by " + name + ")");
          seen[i] = true;
        }
      }
    }
    for (int i = 0; i < seen.length; i++) {
      assertTrue(seen[i], "flat index " + i + " belongs to no W[l][from][to]");
    }
    assertThrows(IndexOutOfBoundsException.class, () -> NET.index(1, 4, 1), "from > in");
    assertThrows(IndexOutOfBoundsException.class, () -> NET.index(1, 0, 0), "to = 0");
    assertThrows(IndexOutOfBoundsException.class, () -> NET.index(2, 0, 3), "to > out");
    assertThrows(IndexOutOfBoundsException.class, () -> NET.index(1, -1, 1), "from < 0");
    assertThrows(IndexOutOfBoundsException.class, () -> NET.name(NET.size()), "name(size)");
  }

  @Test
  void textbookRoundTripIsIdentityAndMatchesTheLayout() {
    double[] flat = new double[NET.size()];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = 100.0 + i; // each value names its own flat index
    }
    double[][][] t = NET.toTextbook(flat);
    assertEquals(NET.depth(), t.length, "textbook layers");
    for (int l = 1; l <= NET.depth(); l++) {
      LayerSpec s = NET.layer(l);
      assertEquals(s.in() + 1, t[l - 1].length, "rows (bias + inputs) of layer " + l);
      for (int from = 0; from <= s.in(); from++) {
        assertEquals(s.out(), t[l - 1][from].length, "units of layer " + l + " row " + from);
        for (int to = 1; to <= s.out(); to++) {
          double expected = 100.0 + NET.offset(l) + (to - 1) * (s.in() + 1) + from;
          assertEquals(expected, t[l - 1][from][to - 1], 0.0,
              "toTextbook[" + (l - 1) + "][" + from + "][" + (to - 1) + "] = W[" + l + "][" + from
                  + "][" + to + "]");
        }
      }
    }
    double[] back = NET.fromTextbook(t);
    assertTrue(Arrays.equals(flat, back), () -> "flat -> toTextbook -> fromTextbook expected "
        + Arrays.toString(flat) + ", got " + Arrays.toString(back));

    double[] random = NET.standardNormalWeights(9);
    double[] again = NET.fromTextbook(NET.toTextbook(random));
    assertTrue(Arrays.equals(random, again), "round trip of random weights is not the identity");
  }

  @Test
  void fromTextbookRejectsWrongShapes() {
    double[][][] good = NET.toTextbook(new double[NET.size()]);

    double[][][] tooFewLayers = Arrays.copyOf(good, 2);
    assertMessage(() -> NET.fromTextbook(tooFewLayers), "weights have 2 layers, network has 3");

    double[][][] missingRow = deepCopy(good);
    missingRow[1] = Arrays.copyOf(missingRow[1], 4);
    assertMessage(() -> NET.fromTextbook(missingRow),
        "weights of layer 2 have 4 rows (bias + inputs), expected 5");

    double[][][] shortRow = deepCopy(good);
    shortRow[0][2] = new double[3];
    assertMessage(() -> NET.fromTextbook(shortRow),
        "weights of layer 1, row 2 have 3 entries, expected 4");

    double[][][] nullRow = deepCopy(good);
    nullRow[2][0] = null;
    assertMessage(() -> NET.fromTextbook(nullRow),
        "weights of layer 3, row 0 have 0 entries, expected 1");

    assertMessage(() -> NET.toTextbook(new double[NET.size() + 1]),
        "expected 29 weights for layers [3, 4, 2, 1], got 30");
  }

  @Test
  void networkRejectsMismatchedLayers() {
    assertThrows(IllegalArgumentException.class,
        () -> new Network(java.util.List.of(new LayerSpec(2, 3, Activation.TANH),
            new LayerSpec(4, 1, Activation.IDENTITY))), "layer 2 in != layer 1 out");
    assertThrows(IllegalArgumentException.class,
        () -> Network.of(new int[] {2, 0, 1}, Activation.TANH, Activation.IDENTITY), "width 0");
    assertThrows(IllegalArgumentException.class,
        () -> Network.of(new int[] {2, 3, 1}, new Activation[] {Activation.TANH}), "1 activation for 2 layers");
  }

  @Test
  void initialWeightsAreSeeded() {
    assertTrue(Arrays.equals(NET.initialWeights(42), NET.initialWeights(42)),
        "same seed must give the same weights");
    double[] a = NET.initialWeights(42);
    double[] b = NET.initialWeights(43);
    int same = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i] && a[i] != 0.0) {
        same++;
      }
    }
    assertEquals(0, same, "seeds 42 and 43 share non-bias weights");
    assertFalse(Arrays.equals(a, b), "different seeds gave the same weights");
    assertTrue(Arrays.equals(NET.standardNormalWeights(7), NET.standardNormalWeights(7)),
        "standardNormalWeights: same seed must give the same weights");
    assertFalse(Arrays.equals(NET.standardNormalWeights(7), NET.standardNormalWeights(8)),
        "standardNormalWeights: different seeds gave the same weights");
  }

  /**
   * Glorot uniform U(-r, r), r = sqrt(6 / (in + out)), variance r^2 / 3 = 2 / (in + out), for
   * tanh; He normal N(0, 2 / in) for ReLU; biases zero. Layers of 2000+ weights: the sample
   * standard deviation is within about 2% of the true one, so 10% cannot fail by chance.
   */
  @Test
  void glorotBoundAndHeScaleAndZeroBiases() {
    Network net = Network.of(new int[] {60, 50, 40, 1},
        new Activation[] {Activation.TANH, Activation.RELU, Activation.SIGMOID});
    double[] w = net.initialWeights(2024);
    for (int l = 1; l <= net.depth(); l++) {
      LayerSpec s = net.layer(l);
      double r = Math.sqrt(6.0 / (s.in() + s.out()));
      double sumSq = 0;
      double maxAbs = 0;
      int count = 0;
      for (int to = 1; to <= s.out(); to++) {
        assertEquals(0.0, w[net.index(l, 0, to)], 0.0, "bias W[" + l + "][0][" + to + "]");
        for (int from = 1; from <= s.in(); from++) {
          double v = w[net.index(l, from, to)];
          sumSq += v * v;
          maxAbs = Math.max(maxAbs, Math.abs(v));
          count++;
          if (s.activation() != Activation.RELU) {
            assertTrue(Math.abs(v) <= r, "Glorot layer " + l + ": |W[" + l + "][" + from + "]["
                + to + "]| = " + Math.abs(v) + " exceeds r = " + r);
          }
        }
      }
      double sd = Math.sqrt(sumSq / count);
      double expectedSd = s.activation() == Activation.RELU
          ? Math.sqrt(2.0 / s.in()) : Math.sqrt(2.0 / (s.in() + s.out()));
      if (count >= 2000) {
        assertEquals(expectedSd, sd, 0.1 * expectedSd, "layer " + l + " (" + s.activation()
            + ", " + count + " weights): standard deviation");
      }
      if (s.activation() != Activation.RELU && count >= 2000) {
        assertTrue(maxAbs > 0.95 * r, "Glorot layer " + l + ": largest |w| " + maxAbs
            + " expected close to the bound " + r);
      }
    }
  }

  private static double[][][] deepCopy(double[][][] t) {
    double[][][] c = new double[t.length][][];
    for (int l = 0; l < t.length; l++) {
      c[l] = new double[t[l].length][];
      for (int i = 0; i < t[l].length; i++) {
        c[l][i] = t[l][i].clone();
      }
    }
    return c;
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call,
        "expected IllegalArgumentException: " + expected);
    assertEquals(expected, e.getMessage(), "exception message");
  }
}
