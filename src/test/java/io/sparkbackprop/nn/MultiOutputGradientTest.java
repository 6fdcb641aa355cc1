package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The gradient of a network of k outputs, whose per-row loss is {@code sum_k (y_k - yhat_k)^2}:
 * against central differences ({@link GradientCheck}), and against the sum of k single-output
 * networks' gradients. Network c of those shares the hidden layers and takes output unit c's
 * weights as its one output unit, so its loss is the k-output loss's term c: the hidden weights'
 * gradient is the sum of the k networks' and output unit c's is network c's (the output layer's
 * weights of unit {@code to} are the in + 1 values from {@code index(L, 0, to)} on).
 */
class MultiOutputGradientTest {
  private static final int N = 9;

  private static double[] gaussian(Random r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextGaussian();
    }
    return a;
  }

  @Test
  void threeOutputsAgainstFiniteDifferences() {
    Network net = Network.of(new int[] {4, 6, 5, 3}, Activation.TANH, Activation.IDENTITY);
    Random r = new Random(7);
    double[] w = gaussian(r, net.size());
    double[] x = gaussian(r, N * 4);
    double[] y = gaussian(r, N * 3);
    GradientCheck.Result res = GradientCheck.check(net, w, x, y, N, 1e-3, true);
    assertTrue(res.maxRelError() < 1e-6, "largest relative error against central differences: "
        + res.maxRelError() + ", expected < 1e-6");
  }

  @Test
  void threeOutputsEqualTheSumOfThreeSingleOutputNetworks() {
    int[] widths = {4, 6, 3};
    int k = 3;
    Network net = Network.of(widths, Activation.SIGMOID, Activation.IDENTITY);
    Network one = Network.of(new int[] {4, 6, 1}, Activation.SIGMOID, Activation.IDENTITY);
    Random r = new Random(11);
    double[] w = gaussian(r, net.size());
    double[] x = gaussian(r, N * 4);
    double[] y = gaussian(r, N * k);
    double[] g = GradientCheck.backpropGradient(net, w, x, y, N);

    int hidden = one.offset(2);
    int unit = widths[1] + 1;
    double[] expected = new double[net.size()];
    double lossSum = 0;
    for (int c = 0; c < k; c++) {
      double[] wc = new double[one.size()];
      System.arraycopy(w, 0, wc, 0, hidden);
      System.arraycopy(w, net.index(2, 0, c + 1), wc, hidden, unit);
      double[] yc = java.util.Arrays.copyOfRange(y, c * N, (c + 1) * N);
      double[] gc = GradientCheck.backpropGradient(one, wc, x, yc, N);
      for (int i = 0; i < hidden; i++) {
        expected[i] += gc[i];
      }
      System.arraycopy(gc, hidden, expected, net.index(2, 0, c + 1), unit);
      lossSum += GradientCheck.objective(one, wc, x, yc, N);
    }
    assertEquals(net.index(2, 0, 1), hidden, "the output layer starts where the hidden ones end");
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < g.length; i++) {
      assertEquals(expected[i], g[i], 1e-13 * scale, net.name(i) + ": the k-output gradient vs"
          + " the sum of the single-output networks'");
    }
    double loss = GradientCheck.objective(net, w, x, y, N);
    assertEquals(lossSum, loss, 1e-13 * Math.abs(lossSum), "the k-output objective vs the sum");
  }
}
