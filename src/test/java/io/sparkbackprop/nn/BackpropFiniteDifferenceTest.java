package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backprop (each {@link Kernel}, blocked and narrow, run block after block through one instance,
 * and the per-row reference) against GradientCheck's central differences, on every weight, for random networks of
 * 1, 2 and 3 hidden layers, widths 1 to 17, every activation as hidden and as output.
 *
 * <p>Numeric derivative: GradientCheck.numericDerivative with Richardson extrapolation and relative
 * step h = STEP * max(1, |w|) = 1e-3 or more: truncation O(h^4) ~ 1e-12 relative, rounding about
 * 1e-16 / h ~ 1e-13 absolute (smaller steps made rounding dominate: 2e-7 relative on gradients of
 * 1e-5 with h = 1e-4; with 1e-3 the worst case over all networks here is about 2e-8).
 * ReLU: perturbing one weight by h moves a pre-activation by about h * |activation| * |weights
 * downstream|, a few times 1e-3 here; data and weights are resampled until every ReLU input of
 * every row is at least KINK_MARGIN = 20 * STEP from 0, so no difference straddles a kink.
 */
class BackpropFiniteDifferenceTest {
  private static final double STEP = 1e-3;
  private static final double KINK_MARGIN = 20 * STEP;
  private static final double TOL = 1e-6;
  private static final int ROWS = 7;
  /** 1 row per block; 3 (7 = 3 + 3 + 1, a short last block); all 7 in one block. */
  private static final int[] BLOCKS = {1, 3, ROWS};

  private static final int[][] SHAPES = {
      {3, 4, 1},          // 1 hidden
      {1, 1, 1},          // width 1 everywhere
      {2, 17, 3},         // 1 wide hidden, 3 outputs
      {4, 5, 3, 2},       // 2 hidden
      {3, 1, 6, 1},       // 2 hidden, width-1 bottleneck
      {2, 7, 17, 4, 1},   // 3 hidden
      {5, 3, 1, 2, 2},    // 3 hidden, width-1 in the middle
  };

  static Stream<Arguments> cases() {
    return Fixtures.shapesByActivations(SHAPES, 1000);
  }

  @ParameterizedTest(name = "{0} hidden={1} output={2} seed={3}")
  @MethodSource("cases")
  void backpropMatchesCentralDifferencesOnEveryWeight(int[] widths, Activation hidden,
      Activation output, long seed) {
    check(Network.of(widths, hidden, output), seed);
  }

  /** A different activation in every layer, so no layer's derivative can hide behind another's. */
  @Test
  void mixedActivationsPerLayer() {
    Activation[] all = Activation.values();
    long seed = 77;
    for (int shift = 0; shift < all.length; shift++) {
      Activation[] acts = new Activation[4];
      for (int l = 0; l < acts.length; l++) {
        acts[l] = all[(l + shift) % all.length];
      }
      check(Network.of(new int[] {3, 6, 5, 4, 2}, acts), seed++);
    }
  }

  /** GradientCheck.check itself: its entries name every weight, and its max is their max. */
  @Test
  void checkReportsEveryWeightAndTheirMaximum() {
    Network net = Network.of(new int[] {3, 4, 2, 1}, Activation.TANH, Activation.SIGMOID);
    Random rnd = new Random(5);
    double[] x = Fixtures.gaussian(rnd, ROWS, 3);
    double[] y = Fixtures.gaussian(rnd, ROWS, 1);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    GradientCheck.Result r = GradientCheck.check(net, w, x, y, ROWS, STEP, true);
    assertEquals(net.size(), r.entries().size(), "one entry per weight");
    double max = 0.0;
    for (int i = 0; i < net.size(); i++) {
      GradientCheck.Entry e = r.entries().get(i);
      assertEquals(i, e.index(), "entry " + i + " index");
      assertEquals(net.name(i), e.name(), "entry " + i + " name");
      max = Math.max(max, e.relError());
    }
    assertEquals(max, r.maxRelError(), 0.0, "maxRelError is the largest entry's");
    assertTrue(r.maxRelError() <= TOL, () -> "max relative error expected <= " + TOL + ", got "
        + r.maxRelError());
  }

  /**
   * GradientCheck's numeric derivative (difference of outputs, Richardson) against the naive
   * (J(w + h) - J(w - h)) / 2h written here, with h = 1e-5: agreement to 1e-7 relative (the naive
   * one's own error is about 1e-10 truncation plus 1e-11 rounding on gradients of order 0.1).
   */
  @Test
  void numericDerivativeAgreesWithNaiveCentralDifference() {
    Network net = Network.of(new int[] {2, 3, 1}, Activation.SIGMOID, Activation.IDENTITY);
    Random rnd = new Random(6);
    double[] x = Fixtures.gaussian(rnd, ROWS, 2);
    double[] y = Fixtures.gaussian(rnd, ROWS, 1);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    double h = 1e-5;
    for (int i = 0; i < net.size(); i++) {
      double saved = w[i];
      w[i] = saved + h;
      double jp = GradientCheck.objective(net, w, x, y, ROWS);
      w[i] = saved - h;
      double jm = GradientCheck.objective(net, w, x, y, ROWS);
      w[i] = saved;
      double naive = (jp - jm) / (2 * h);
      double got = GradientCheck.numericDerivative(net, w, x, y, ROWS, i, STEP, true);
      double rel = Fixtures.relErr(naive, got, 1e-3);
      assertTrue(rel <= 1e-7, "dJ/d" + net.name(i) + ": naive central difference " + naive
          + ", numericDerivative " + got + ", relative error " + rel);
    }
  }

  private static void check(Network net, long seed) {
    Random rnd = new Random(seed);
    double[] x = null;
    double[] y = null;
    double[] w = null;
    int attempts = 0;
    do {
      if (++attempts > 5000) {
        fail(net + ": no sample with every ReLU input at least " + KINK_MARGIN + " from 0 in 5000 draws");
      }
      x = Fixtures.gaussian(rnd, ROWS, net.inputWidth());
      y = Fixtures.gaussian(rnd, ROWS, net.outputWidth());
      w = Fixtures.scaledGaussianWeights(net, rnd);
    } while (GradientCheck.reluKinkDistance(net, w, x, ROWS) < KINK_MARGIN);

    double[] numeric = new double[net.size()];
    double[] before = w.clone();
    for (int i = 0; i < net.size(); i++) {
      numeric[i] = GradientCheck.numericDerivative(net, w, x, y, ROWS, i, STEP, true);
    }
    assertArrayEqualsBits(before, w, net + ": numericDerivative must restore the weights");
    double objective = GradientCheck.objective(net, w, x, y, ROWS);

    double[] rowGrad = new double[net.size()];
    double rowLoss = Fixtures.rowLossAndGradient(net, w, x, y, ROWS, rowGrad);
    compare(net, "RowBackprop", rowGrad, rowLoss, numeric, objective);

    for (Kernels.Choice kernel : Fixtures.KERNELS) {
      for (int block : BLOCKS) {
        // initialRows 1: the instance must also grow its scratch when the first real block arrives.
        Kernel bb = Kernels.forNetwork(net, 1, kernel);
        double[] grad = new double[net.size()];
        double loss = Fixtures.blockedLossAndGradient(bb, w, x, y, ROWS, block, grad);
        compare(net, bb.getClass().getSimpleName() + ", blocks of " + block, grad, loss, numeric,
            objective);
      }
    }
  }

  private static void compare(Network net, String kernel, double[] gradSum, double lossSum,
      double[] numeric, double objective) {
    assertTrue(Fixtures.relErr(lossSum / ROWS, objective, 1e-300) <= 1e-13,
        () -> net + " " + kernel + ": loss sum / n expected " + objective + " (objective), got "
            + lossSum / ROWS);
    for (int i = 0; i < net.size(); i++) {
      double bp = gradSum[i] / ROWS;
      double rel = Fixtures.relErr(bp, numeric[i], GradientCheck.TINY);
      if (!(rel <= TOL)) {
        fail(net + " " + kernel + ": dJ/d" + net.name(i) + " expected " + numeric[i]
            + " (central differences), got " + bp + " from backprop; relative error " + rel
            + " > " + TOL);
      }
    }
  }

  private static void assertArrayEqualsBits(double[] expected, double[] actual, String msg) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]),
          msg + " (index " + i + ": expected " + expected[i] + ", got " + actual[i] + ")");
    }
  }
}
