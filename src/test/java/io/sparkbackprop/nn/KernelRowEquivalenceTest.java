package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel (the blocked BLAS one and the narrow one) equals the per-row reference: the sum of
 * RowBackprop over rows against the kernel over blocks (1 row, several, a short last block, one
 * block of all; and the benchmarks' shapes over several of the narrow kernel's strips), to 1e-12
 * relative. Catches add-vs-overwrite bugs both ways:
 * <ul>
 *   <li>where the contract is to ACCUMULATE (the gradient), the buffer is pre-filled with known
 *       values and the result must be prefill + sum;</li>
 *   <li>where it is to OVERWRITE (predict's output, the kernel's internal scratch), the buffer is
 *       filled with junk first: NaN in predict's output, and the instance has first run a LARGER
 *       block with garbage (then NaN) weights, so any stale scratch value would show.</li>
 * </ul>
 */
class KernelRowEquivalenceTest {
  private static final double TOL = 1e-12;
  private static final int ROWS = 11;
  /** 11 = 1 x 11; 4 + 4 + 3; 5 + 5 + 1; one block of 11. */
  private static final int[] BLOCKS = {1, 4, 5, ROWS};

  static Stream<Arguments> cases() {
    int[][] shapes = {{3, 5, 1}, {1, 17, 2}, {4, 6, 1, 3}, {2, 9, 17, 5, 2}};
    return Fixtures.shapesByActivations(shapes, 2000);
  }

  @ParameterizedTest(name = "{0} hidden={1} output={2} seed={3}")
  @MethodSource("cases")
  void blockedSumEqualsRowSumWithPrefillAndStaleScratch(int[] widths, Activation hidden,
      Activation output, long seed) {
    assertKernelsEqualRows(Network.of(widths, hidden, output), ROWS, BLOCKS, seed);
  }

  /** The benchmarks' shapes, with more rows than one strip of the narrow kernel (128). */
  @Test
  void benchmarkShapesOverSeveralStrips() {
    assertKernelsEqualRows(Network.of(new int[] {10, 2, 2, 1}, Activation.SIGMOID,
        Activation.IDENTITY), 300, new int[] {300, 129}, 3);
    assertKernelsEqualRows(Network.of(new int[] {10, 64, 64, 1}, Activation.SIGMOID,
        Activation.IDENTITY), 70, new int[] {70}, 4);
  }

  /**
   * Prefill + the sum of per-row gradients (each row's into a zeroed buffer) and the loss sum,
   * against every kernel over {@code rows} random rows in blocks of each size, each kernel first
   * poisoned with a larger stale block.
   */
  private static void assertKernelsEqualRows(Network net, int rows, int[] blocks, long seed) {
    Random rnd = new Random(seed);
    double[] x = Fixtures.gaussian(rnd, rows, net.inputWidth());
    double[] y = Fixtures.gaussian(rnd, rows, net.outputWidth());
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    double[] prefill = Fixtures.gaussian(rnd, 1, net.size());
    RowBackprop rb = new RowBackprop(net);
    double[] expected = prefill.clone();
    double expectedLoss = 0.0;
    for (int r = 0; r < rows; r++) {
      double[] g = new double[net.size()];
      expectedLoss += rb.lossAndGradient(w, Fixtures.row(x, rows, net.inputWidth(), r),
          Fixtures.row(y, rows, net.outputWidth(), r), g);
      for (int i = 0; i < g.length; i++) {
        expected[i] += g[i];
      }
    }
    for (Kernels.Choice choice : Fixtures.KERNELS) {
      for (int block : blocks) {
        Kernel bb = Kernels.forNetwork(net, 2, choice);
        poison(bb, net, rnd, rows + 12);
        double[] grad = prefill.clone();
        double loss = Fixtures.blockedLossAndGradient(bb, w, x, y, rows, block, grad);
        String kernel = net + ", " + bb.getClass().getSimpleName() + ", blocks of " + block
            + " after a stale larger block";
        assertRel(kernel + ": loss sum", expectedLoss, loss);
        for (int i = 0; i < net.size(); i++) {
          assertRel(kernel + ": prefill + sum of dL/d" + net.name(i), expected[i], grad[i]);
        }
      }
    }
  }

  /** RowBackprop accumulates too: prefill + its gradient. */
  @Test
  void rowBackpropAccumulatesIntoGradient() {
    Network net = Network.of(new int[] {3, 4, 2}, Activation.TANH, Activation.SIGMOID);
    Random rnd = new Random(3);
    double[] x = Fixtures.gaussian(rnd, 1, 3);
    double[] y = Fixtures.gaussian(rnd, 1, 2);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    double[] fresh = new double[net.size()];
    new RowBackprop(net).lossAndGradient(w, x, y, fresh);
    double[] prefill = Fixtures.gaussian(rnd, 1, net.size());
    double[] grad = prefill.clone();
    new RowBackprop(net).lossAndGradient(w, x, y, grad);
    for (int i = 0; i < grad.length; i++) {
      assertEquals(prefill[i] + fresh[i], grad[i], 0.0,
          "prefill + dL/d" + net.name(i) + " (RowBackprop must add, not overwrite)");
    }
  }

  /** predict overwrites its output (filled with NaN first) and writes nothing past n x out. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Kernels.Choice.class, names = {"BLOCKED", "NARROW"})
  void predictOverwritesOutputAndMatchesRowForward(Kernels.Choice choice) {
    Network net = Network.of(new int[] {4, 7, 3}, Activation.RELU, Activation.SIGMOID);
    Random rnd = new Random(4);
    int n = 9;
    double[] x = Fixtures.gaussian(rnd, n, 4);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    Kernel bb = Kernels.forNetwork(net, 1, choice);
    poison(bb, net, rnd, n + 12);
    int len = n * net.outputWidth();
    double[] out = new double[len + 5];
    Arrays.fill(out, Double.NaN);
    out[len] = -12345.0;
    bb.predict(w, x, n, out);
    RowBackprop rb = new RowBackprop(net);
    for (int r = 0; r < n; r++) {
      double[] yhat = rb.forward(w, Fixtures.row(x, n, 4, r));
      for (int k = 0; k < net.outputWidth(); k++) {
        assertRel("predict row " + r + " output " + k, yhat[k], out[k * n + r]);
      }
    }
    assertEquals(-12345.0, out[len], 0.0, "predict wrote past n x outputWidth");
  }

  /** An empty block adds nothing and has loss 0. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Kernels.Choice.class, names = {"BLOCKED", "NARROW"})
  void emptyBlockLeavesGradientAlone(Kernels.Choice choice) {
    Network net = Network.of(new int[] {2, 3, 1}, Activation.TANH, Activation.IDENTITY);
    double[] grad = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    assertEquals(net.size(), grad.length, "test setup: one prefill value per weight");
    double[] before = grad.clone();
    double loss = Kernels.forNetwork(net, 1, choice).lossAndGradient(net.initialWeights(1),
        new double[0], new double[0], 0, grad);
    assertEquals(0.0, loss, 0.0, "loss of an empty block");
    assertTrue(Arrays.equals(before, grad), () -> "empty block changed the gradient: expected "
        + Arrays.toString(before) + ", got " + Arrays.toString(grad));
  }

  /**
   * Leaves junk in every scratch buffer: a block larger than any the test uses, first with
   * garbage weights of scale 10 and garbage data, then with NaN weights.
   */
  private static void poison(Kernel bb, Network net, Random rnd, int big) {
    double[] x = Fixtures.gaussian(rnd, big, net.inputWidth());
    double[] y = Fixtures.gaussian(rnd, big, net.outputWidth());
    double[] w = Fixtures.gaussian(rnd, 1, net.size());
    for (int i = 0; i < w.length; i++) {
      w[i] *= 10;
    }
    bb.lossAndGradient(w, x, y, big, new double[net.size()]);
    Arrays.fill(w, Double.NaN);
    bb.lossAndGradient(w, x, y, big, new double[net.size()]);
  }

  private static void assertRel(String what, double expected, double actual) {
    double rel = Fixtures.relErr(expected, actual, 1e-300);
    if (!(rel <= TOL)) {
      fail(what + ": expected " + expected + " (per-row reference), got " + actual
          + ", relative error " + rel + " > " + TOL);
    }
  }
}
