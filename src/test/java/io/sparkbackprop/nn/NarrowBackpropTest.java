package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link NarrowBackprop} equals the per-row reference {@link RowBackprop} to 1e-12 relative, on
 * random narrow shapes (depth 1..4, widths 1..8 after the input, input widths 1..12, one output
 * and several), a random activation per layer, block sizes 1, odd, and not multiples of the strip
 * (both the default strip and small strips, so that one block spans several strips and a short
 * last one). Each instance first runs a larger block with garbage weights (stale scratch), then
 * the block twice into a gradient pre-filled with junk (it must ADD); predict writes into a
 * NaN-filled buffer, and nothing past n x outputWidth. Both {@link RowDots} are run.
 */
class NarrowBackpropTest {
  private static final double TOL = 1e-12;

  @Test
  void randomNarrowShapesEqualTheRowReference() {
    Random rnd = new Random(13);
    Activation[] all = Activation.values();
    int[] blocks = {1, 2, 3, 7, 64, 129, 300};
    int[] strips = {NarrowBackprop.DEFAULT_STRIP, 1, 4, 5, 16};
    for (int c = 0; c < 60; c++) {
      int depth = 1 + c % 4;
      int[] widths = new int[depth + 1];
      widths[0] = 1 + rnd.nextInt(12);
      for (int l = 1; l <= depth; l++) {
        widths[l] = 1 + rnd.nextInt(8);
      }
      if (c % 3 == 0) {
        widths[depth] = 1; // one output in a third of the cases, several elsewhere (mostly)
      }
      Activation[] acts = new Activation[depth];
      for (int l = 0; l < depth; l++) {
        acts[l] = all[(c + l) % all.length];
      }
      Network net = Network.of(widths, acts);
      int n = blocks[c % blocks.length];
      int strip = strips[(c / blocks.length) % strips.length];
      // Both implementations of the sums over rows: the JVM's (vector here) and plain loops.
      check(net, n, strip, c % 2 == 0 ? RowDots.get() : RowDots.scalar(), rnd);
    }
  }

  /** Every activation as hidden and as output, on the benchmark's shapes at widths up to 8. */
  @Test
  void everyActivationOnBenchmarkShapes() {
    Random rnd = new Random(14);
    for (int[] widths : new int[][] {{10, 2, 2, 1}, {10, 8, 8, 1}, {12, 8, 3}}) {
      for (Activation hidden : Activation.values()) {
        for (Activation output : Activation.values()) {
          check(Network.of(widths, hidden, output), 257, NarrowBackprop.DEFAULT_STRIP, RowDots.get(),
              rnd);
        }
      }
    }
  }

  /** forward returns A_L (ld n), equal to predict's output, for a block larger than initialRows. */
  @Test
  void forwardReturnsTheOutputLayer() {
    Random rnd = new Random(15);
    Network net = Network.of(new int[] {3, 5, 2}, Activation.TANH, Activation.SIGMOID);
    int n = 150;
    double[] x = Fixtures.gaussian(rnd, n, 3);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    NarrowBackprop k = new NarrowBackprop(net, 4, 32);
    double[] p = new double[n * 2];
    k.predict(w, x, n, p);
    double[] a = k.forward(w, x, n);
    for (int i = 0; i < p.length; i++) {
      assertEquals(p[i], a[i], 0.0, "forward vs predict, value " + i);
    }
    assertSame(a, k.forward(w, x, n), "forward reuses its buffer");
  }

  private static void check(Network net, int n, int strip, RowDots dots, Random rnd) {
    int d = net.inputWidth();
    int outW = net.outputWidth();
    double[] x = Fixtures.gaussian(rnd, n, d);
    double[] y = Fixtures.gaussian(rnd, n, outW);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    double[] prefill = Fixtures.gaussian(rnd, 1, net.size());
    String what = net + ", n " + n + ", strip " + strip + ", "
        + dots.getClass().getSimpleName();

    RowBackprop rb = new RowBackprop(net);
    double[] rowGrad = new double[net.size()];
    double rowLoss = Fixtures.rowLossAndGradient(net, w, x, y, n, rowGrad);

    NarrowBackprop k = new NarrowBackprop(net, 1, strip, dots);
    // Stale scratch: a larger block with garbage weights, then NaN weights.
    int big = n + strip + 3;
    double[] junkW = Fixtures.gaussian(rnd, 1, net.size());
    k.lossAndGradient(junkW, Fixtures.gaussian(rnd, big, d), Fixtures.gaussian(rnd, big, outW), big,
        new double[net.size()]);
    Arrays.fill(junkW, Double.NaN);
    k.lossAndGradient(junkW, Fixtures.gaussian(rnd, big, d), Fixtures.gaussian(rnd, big, outW), big,
        new double[net.size()]);

    double[] g = prefill.clone();
    double loss1 = k.lossAndGradient(w, x, y, n, g);
    double loss2 = k.lossAndGradient(w, x, y, n, g);
    assertRel(what + ": loss of the first call", rowLoss, loss1);
    assertRel(what + ": loss of the second call", rowLoss, loss2);
    for (int i = 0; i < g.length; i++) {
      // Compared after removing the prefill, so the tolerance applies to the gradient itself.
      assertRel(what + ": (grad - prefill) / 2 for " + net.name(i), rowGrad[i],
          (g[i] - prefill[i]) / 2);
    }

    double[] p = new double[n * outW + 3];
    Arrays.fill(p, Double.NaN);
    p[n * outW] = -7.0;
    k.predict(w, x, n, p);
    for (int i = 0; i < n; i++) {
      double[] yhat = rb.forward(w, Fixtures.row(x, n, d, i));
      for (int t = 0; t < outW; t++) {
        assertRel(what + ": prediction of row " + i + ", output " + t, yhat[t], p[t * n + i]);
      }
    }
    assertEquals(-7.0, p[n * outW], 0.0, what + ": predict wrote past n x outputWidth");
  }

  private static void assertRel(String what, double expected, double actual) {
    double rel = Fixtures.relErr(expected, actual, 1e-300);
    // Gradients that cancel to ~0 over the rows are compared on the scale of their terms.
    if (!(rel <= TOL) && !(Math.abs(expected - actual) <= 1e-14)) {
      fail(what + ": expected " + expected + " (per-row reference), got " + actual
          + ", relative error " + rel + " > " + TOL);
    }
  }
}
