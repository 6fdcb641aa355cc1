package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Row weights in the kernels: the weighted loss and gradient sums of a block equal
 * {@code sum_i w_i} times RowBackprop's per-row loss and gradient (the reference, one row at a
 * time), for the blocked (double and float) and the narrow kernel, with a k-output network too.
 */
class WeightedKernelTest {
  private static final int N = 37;

  /** sum_i rw[i] (RowBackprop's loss and gradient of row i), the gradient into grad. */
  private static double reference(Network net, double[] w, double[] x, double[] y, double[] rw,
      double[] grad) {
    RowBackprop rb = new RowBackprop(net);
    double loss = 0.0;
    double[] g = new double[net.size()];
    for (int r = 0; r < N; r++) {
      java.util.Arrays.fill(g, 0.0);
      loss += rw[r] * rb.lossAndGradient(w, Fixtures.row(x, N, net.inputWidth(), r),
          Fixtures.row(y, N, net.outputWidth(), r), g);
      for (int i = 0; i < g.length; i++) {
        grad[i] += rw[r] * g[i];
      }
    }
    return loss;
  }

  private static double maxRel(double[] a, double[] b, double floor) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Fixtures.relErr(a[i], b[i], floor));
    }
    return worst;
  }

  @Test
  void weightedSumsEqualTheWeightedRowReference() {
    int[][] shapes = {{3, 5, 1}, {4, 12, 6, 1}, {3, 4, 2}};
    Random rnd = new Random(19);
    for (int[] shape : shapes) {
      Activation[] acts = new Activation[shape.length - 1];
      java.util.Arrays.fill(acts, Activation.TANH);
      acts[acts.length - 1] = Activation.IDENTITY;
      Network net = Network.of(shape, acts);
      double[] w = Fixtures.scaledGaussianWeights(net, rnd);
      double[] x = Fixtures.gaussian(rnd, N, net.inputWidth());
      double[] y = Fixtures.gaussian(rnd, N, net.outputWidth());
      double[] rw = new double[N];
      for (int i = 0; i < N; i++) {
        rw[i] = i % 5 == 0 ? 0.0 : 3 * rnd.nextDouble();
      }
      double[] expected = new double[net.size()];
      double loss = reference(net, w, x, y, rw, expected);
      for (Kernel k : new Kernel[] {new BlockBackprop(net, N), new NarrowBackprop(net, N)}) {
        double[] g = new double[net.size()];
        double l = k.lossAndGradient(w, x, y, rw, N, g);
        String what = k.getClass().getSimpleName() + " " + net;
        // the same terms summed in another order: rounding only
        assertTrue(Fixtures.relErr(loss, l, 1e-300) < 1e-13, what + ": loss " + l + " vs " + loss);
        double err = maxRel(expected, g, 1e-10);
        assertTrue(err < 1e-12, what + ": gradient differs by " + err + " (relative)");
      }
      FloatBlockBackprop fk = new FloatBlockBackprop(net, N);
      float[] gf = new float[net.size()];
      double lf = fk.lossAndGradient(FloatBlockBackprop.toFloat(w), FloatBlockBackprop.toFloat(x),
          FloatBlockBackprop.toFloat(y), rw, N, gf);
      double[] g = new double[net.size()];
      FloatBlockBackprop.addInto(g, gf);
      // single precision throughout: about 1e-6 relative, scaled by the sums' magnitude
      assertTrue(Fixtures.relErr(loss, lf, 1e-300) < 1e-4, net + " float: loss " + lf);
      double err = maxRel(expected, g, 1e-2);
      assertTrue(err < 1e-4, net + " float: gradient differs by " + err + " (relative)");
    }
  }
}
