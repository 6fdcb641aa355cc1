package io.sparkbackprop.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks backprop's gradient of the objective J(w) = (1/n) sum_i (y_i - yhat_i)^2 against finite
 * differences, on every weight.
 *
 * <p>Numeric derivative: the central difference D(h) = (J(w + h e_i) - J(w - h e_i)) / 2h, whose
 * error is O(h^2), improved by Richardson extrapolation R = (4 D(h/2) - D(h)) / 3, whose error is
 * O(h^4). To keep rounding small when the loss is large, the difference of losses is formed from the
 * difference of outputs: (y - p)^2 - (y - q)^2 = (q - p)(2y - p - q), exact in real arithmetic, so
 * its rounding error scales with the outputs (about 1) rather than with the loss (1e4 for the
 * textbook row). The step is relative: h = step * max(1, |w_i|).
 *
 * <p>Relative error: |a - b| / max(|a|, |b|, tiny).
 */
public final class GradientCheck {
  /** The floor of the relative error's denominator. */
  public static final double TINY = 1e-12;

  /** One weight's comparison. */
  public record Entry(int index, String name, double backprop, double numeric, double relError) {}

  /** All weights' comparisons, and the largest relative error. */
  public record Result(List<Entry> entries, double maxRelError) {}

  private GradientCheck() {}

  public static double relativeError(double a, double b) {
    return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), TINY);
  }

  /**
   * Gradient of the mean objective by backprop on blocks (the production kernel).
   *
   * @param x n x inputWidth, column-major (not modified)
   * @param y n x outputWidth, column-major (not modified)
   */
  public static double[] backpropGradient(Network net, double[] w, double[] x, double[] y, int n) {
    double[] g = new double[net.size()];
    new BlockBackprop(net, n).lossAndGradient(w, x, y, n, g);
    for (int i = 0; i < g.length; i++) {
      g[i] /= n;
    }
    return g;
  }

  /**
   * The float kernel's gradient of the mean objective against the double kernel's, on the same
   * rows: weights and data rounded to float for the first, as given for the second. An entry's
   * error is {@code |g_float - g_double| / max_k |g_double[k]|} (relative to the gradient's largest
   * entry, because float rounding is absolute at that scale: an entry near zero carries no
   * relative accuracy); a correct float kernel stays within about 1e-5 of it on small networks.
   * {@code Entry.backprop} holds the float value, {@code Entry.numeric} the double one.
   */
  public static Result floatAgainstDouble(Network net, double[] w, double[] x, double[] y,
      int n) {
    double[] gd = backpropGradient(net, w, x, y, n);
    float[] gf = new float[net.size()];
    new FloatBlockBackprop(net, n).lossAndGradient(FloatBlockBackprop.toFloat(w),
        FloatBlockBackprop.toFloat(x), FloatBlockBackprop.toFloat(y), n, gf);
    double scale = TINY;
    for (double v : gd) {
      scale = Math.max(scale, Math.abs(v));
    }
    List<Entry> entries = new ArrayList<>();
    double max = 0;
    for (int i = 0; i < gd.length; i++) {
      double f = gf[i] / (double) n;
      double err = Math.abs(f - gd[i]) / scale;
      entries.add(new Entry(i, net.name(i), f, gd[i], err));
      max = Math.max(max, err);
    }
    return new Result(entries, max);
  }

  /** J(w) = (1/n) sum (y - yhat)^2, by the per-row reference forward pass. */
  public static double objective(Network net, double[] w, double[] x, double[] y, int n) {
    double[][] p = predictRows(net, w, x, n);
    int out = net.outputWidth();
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < out; k++) {
        sum += SquaredError.loss(y[k * n + i], p[i][k]);
      }
    }
    return sum / n;
  }

  /**
   * dJ/dw_i by central differences (with Richardson extrapolation when {@code richardson}).
   *
   * @param w flat weights (not modified: perturbed and restored)
   */
  public static double numericDerivative(Network net, double[] w, double[] x, double[] y, int n,
      int i, double step, boolean richardson) {
    double h = step * Math.max(1.0, Math.abs(w[i]));
    double d1 = centralDifference(net, w, x, y, n, i, h);
    if (!richardson) {
      return d1;
    }
    double d2 = centralDifference(net, w, x, y, n, i, h / 2);
    return (4.0 * d2 - d1) / 3.0;
  }

  private static double centralDifference(Network net, double[] w, double[] x, double[] y, int n,
      int i, double h) {
    double saved = w[i];
    w[i] = saved + h;
    double[][] plus = predictRows(net, w, x, n);
    w[i] = saved - h;
    double[][] minus = predictRows(net, w, x, n);
    w[i] = saved;
    double actualStep = (saved + h) - (saved - h);
    int out = net.outputWidth();
    double diff = 0.0;
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < out; k++) {
        double p = plus[r][k];
        double q = minus[r][k];
        diff += (q - p) * (2.0 * y[k * n + r] - p - q);
      }
    }
    return diff / n / actualStep;
  }

  /** Compares backprop with finite differences on every weight. */
  public static Result check(Network net, double[] w, double[] x, double[] y, int n, double step,
      boolean richardson) {
    double[] g = backpropGradient(net, w, x, y, n);
    List<Entry> entries = new ArrayList<>(net.size());
    double max = 0.0;
    for (int i = 0; i < net.size(); i++) {
      double num = numericDerivative(net, w, x, y, n, i, step, richardson);
      double rel = relativeError(g[i], num);
      max = Math.max(max, rel);
      entries.add(new Entry(i, net.name(i), g[i], num, rel));
    }
    return new Result(List.copyOf(entries), max);
  }

  /**
   * Smallest |z| over every ReLU unit and row: how close any ReLU input sits to its kink, where a
   * finite difference that straddles it is meaningless. {@code Double.POSITIVE_INFINITY} without
   * ReLU layers.
   */
  public static double reluKinkDistance(Network net, double[] w, double[] x, int n) {
    double min = Double.POSITIVE_INFINITY;
    double[] row = new double[net.inputWidth()];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < row.length; j++) {
        row[j] = x[j * n + r];
      }
      double[] a = row;
      for (int l = 1; l <= net.depth(); l++) {
        LayerSpec s = net.layer(l);
        double[] next = new double[s.out()];
        for (int to = 1; to <= s.out(); to++) {
          double z = w[net.index(l, 0, to)];
          for (int from = 1; from <= s.in(); from++) {
            z += w[net.index(l, from, to)] * a[from - 1];
          }
          if (s.activation() == Activation.RELU) {
            min = Math.min(min, Math.abs(z));
          }
          next[to - 1] = s.activation().apply(z);
        }
        a = next;
      }
    }
    return min;
  }

  private static double[][] predictRows(Network net, double[] w, double[] x, int n) {
    RowBackprop ref = new RowBackprop(net);
    double[] row = new double[net.inputWidth()];
    double[][] out = new double[n][];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < row.length; j++) {
        row[j] = x[j * n + r];
      }
      out[r] = ref.forward(w, row).clone();
    }
    return out;
  }
}
