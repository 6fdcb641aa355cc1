package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float kernel against the double kernel on the same block (data and weights representable in
 * float, so only the arithmetic differs). Stated tolerance: the loss to 1e-5 relative; every
 * gradient entry within 1e-4 of the gradient's largest entry (float's epsilon is 6e-8; sums of up
 * to 300 rows and three layers of products lose a few bits more); predictions to 1e-5 of the
 * output's scale. A wrong index, sign or transpose in the float primitives is off by order 1.
 */
class FloatBlockBackpropTest {
  private static void check(Network net, int n, long seed) {
    Random r = new Random(seed);
    int d = net.inputWidth();
    int outW = net.outputWidth();
    float[] xf = new float[n * d];
    float[] yf = new float[n * outW];
    for (int i = 0; i < xf.length; i++) {
      xf[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < yf.length; i++) {
      yf[i] = (float) r.nextGaussian();
    }
    float[] wf = FloatBlockBackprop.toFloat(net.initialWeights(seed));
    for (int i = 0; i < wf.length; i++) {
      wf[i] += (float) (0.1 * r.nextGaussian());
    }
    double[] x = FloatBlockBackprop.toDouble(xf);
    double[] y = FloatBlockBackprop.toDouble(yf);
    double[] w = FloatBlockBackprop.toDouble(wf);

    double[] gd = new double[net.size()];
    double lossD = new BlockBackprop(net, 2).lossAndGradient(w, x, y, n, gd);

    FloatBlockBackprop k = new FloatBlockBackprop(net, 3);
    // Twice into a gradient pre-filled with junk: the kernel must ADD, and reuse its scratch.
    float[] g = new float[net.size()];
    Arrays.fill(g, 0.5f);
    double loss = k.lossAndGradient(wf, xf, yf, n, g);
    loss += k.lossAndGradient(wf, xf, yf, n, g);
    String what = net + ", n " + n;
    assertTrue(Math.abs(loss - 2 * lossD) <= 1e-5 * 2 * lossD, what + ": loss " + loss
        + ", double kernel " + 2 * lossD);
    double scale = 0;
    for (double v : gd) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < g.length; i++) {
      double expected = 0.5 + 2 * gd[i];
      assertTrue(Math.abs(g[i] - expected) <= 1e-4 * 2 * scale + 1e-6, what + ": gradient "
          + net.name(i) + " is " + g[i] + ", double kernel " + expected);
    }
    float[] p = new float[n * outW];
    Arrays.fill(p, Float.NaN);
    k.predict(wf, xf, n, p);
    double[] pd = new double[n * outW];
    new BlockBackprop(net).predict(w, x, n, pd);
    for (int i = 0; i < p.length; i++) {
      assertTrue(Math.abs(p[i] - pd[i]) <= 1e-5 * Math.max(1, Math.abs(pd[i])), what
          + ": prediction " + i + " is " + p[i] + ", double kernel " + pd[i]);
    }
  }

  @Test
  void everyActivationAgreesWithTheDoubleKernel() {
    long seed = 1;
    for (Activation hidden : Activation.values()) {
      for (Activation output : Activation.values()) {
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
    check(Network.of(new int[] {10, 64, 64, 1}, Activation.RELU, Activation.IDENTITY), 257, 5);
  }

  /** A float block gradient added into a double sum, as the executors do. */
  @Test
  void addIntoWidensAndAdds() {
    double[] acc = {1.0, 2.0, 3.0};
    FloatBlockBackprop.addInto(acc, new float[] {0.5f, -2.0f, 1e-8f});
    assertTrue(acc[0] == 1.5 && acc[1] == 0.0 && acc[2] == 3.0 + (double) 1e-8f,
        "acc " + Arrays.toString(acc));
  }
}
