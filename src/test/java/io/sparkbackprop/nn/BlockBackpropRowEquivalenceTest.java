package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every kernel ({@link BlockBackprop}, {@link NarrowBackprop}) equals the per-row reference for
 * every activation, several block sizes.
 */
class BlockBackpropRowEquivalenceTest {
  private static final Activation[] ALL = Activation.values();

  private static void check(Network net, int n, long seed) {
    Random r = new Random(seed);
    int d = net.inputWidth();
    int outW = net.outputWidth();
    double[] x = new double[n * d];
    double[] y = new double[n * outW];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextGaussian();
    }
    double[] w = net.initialWeights(seed);
    for (int i = 0; i < w.length; i++) {
      w[i] += 0.1 * r.nextGaussian(); // non-zero biases too
    }
    // Reference: row by row.
    RowBackprop ref = new RowBackprop(net);
    double[] gRef = new double[net.size()];
    double lossRef = 0;
    double[] row = new double[d];
    double[] target = new double[outW];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        row[j] = x[j * n + i];
      }
      for (int j = 0; j < outW; j++) {
        target[j] = y[j * n + i];
      }
      lossRef += ref.lossAndGradient(w, row, target, gRef);
    }
    for (Kernels.Choice choice : Fixtures.KERNELS) {
      checkKernel(Kernels.forNetwork(net, 3, choice), net, n, x, y, w, lossRef, gRef);
    }
  }

  private static void checkKernel(Kernel k, Network net, int n, double[] x, double[] y,
      double[] w, double lossRef, double[] gRef) {
    int d = net.inputWidth();
    int outW = net.outputWidth();
    double[] row = new double[d];
    RowBackprop ref = new RowBackprop(net);
    // Two calls into a gradient pre-filled with junk: the kernel must ADD, and reuse its scratch.
    double[] g = new double[net.size()];
    Arrays.fill(g, 0.5);
    double loss = k.lossAndGradient(w, x, y, n, g);
    loss += k.lossAndGradient(w, x, y, n, g);
    String what = net + ", " + k.getClass().getSimpleName() + ", n " + n;
    assertTrue(rel(loss, 2 * lossRef) <= 1e-12, what + ": loss " + loss + ", expected "
        + 2 * lossRef);
    for (int i = 0; i < g.length; i++) {
      double expected = 0.5 + 2 * gRef[i];
      assertTrue(Math.abs(g[i] - expected) <= 1e-11 * Math.max(1, Math.abs(expected)),
          what + ": gradient " + net.name(i) + " is " + g[i] + ", expected " + expected);
    }
    double[] p = new double[n * outW];
    Arrays.fill(p, Double.NaN);
    k.predict(w, x, n, p);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        row[j] = x[j * n + i];
      }
      double[] a = ref.forward(w, row);
      for (int j = 0; j < outW; j++) {
        assertTrue(rel(p[j * n + i], a[j]) <= 1e-12, what + ": prediction of row " + i
            + " is " + p[j * n + i] + ", expected " + a[j]);
      }
    }
  }

  private static double rel(double a, double b) {
    return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  }

  @Test
  void everyActivationEqualsTheRowReference() {
    long seed = 1;
    for (Activation hidden : ALL) {
      for (Activation output : ALL) {
        Network net = Network.of(new int[] {4, 3, 5, 2}, new Activation[] {hidden, output, output});
        for (int n : new int[] {1, 7, 33}) {
          check(net, n, seed++);
        }
      }
    }
  }

  @Test
  void benchmarkShapes() {
    check(Network.of(new int[] {10, 2, 2, 1}, Activation.SIGMOID, Activation.IDENTITY), 300, 3);
    check(Network.of(new int[] {10, 64, 64, 1}, Activation.SIGMOID, Activation.IDENTITY), 70, 4);
  }
}
