package io.sparkbackprop.nn;

/**
 * The plain single-threaded trainer that the distributed one must equal: full-batch gradient
 * descent, per-row backprop ({@link RowBackprop}) summed in row order, divided by n, then
 * {@code w -= lr * g}.
 */
public final class ReferenceTrainer {
  private ReferenceTrainer() {}

  /**
   * @param rows input rows, rows[i] of length inputWidth (not modified)
   * @param labels one label per row (not modified)
   * @param w0 initial weights (not modified)
   * @return the weights after {@code iterations} steps
   */
  public static double[] gradientDescent(Network net, double[][] rows, double[] labels, double[] w0,
      double lr, int iterations) {
    RowBackprop ref = new RowBackprop(net);
    double[] w = w0.clone();
    double[] g = new double[net.size()];
    double[] y = new double[1];
    int n = rows.length;
    for (int t = 1; t <= iterations; t++) {
      java.util.Arrays.fill(g, 0.0);
      for (int i = 0; i < n; i++) {
        y[0] = labels[i];
        ref.lossAndGradient(w, rows[i], y, g);
      }
      for (int k = 0; k < w.length; k++) {
        w[k] -= lr * (g[k] / n);
      }
    }
    return w;
  }

  /**
   * As above for a network of k outputs: labels[i] holds row i's k labels, the per-row loss
   * {@code sum_k (y_k - yhat_k)^2}.
   */
  public static double[] gradientDescent(Network net, double[][] rows, double[][] labels,
      double[] w0, double lr, int iterations) {
    RowBackprop ref = new RowBackprop(net);
    double[] w = w0.clone();
    double[] g = new double[net.size()];
    int n = rows.length;
    for (int t = 1; t <= iterations; t++) {
      java.util.Arrays.fill(g, 0.0);
      for (int i = 0; i < n; i++) {
        ref.lossAndGradient(w, rows[i], labels[i], g);
      }
      for (int k = 0; k < w.length; k++) {
        w[k] -= lr * (g[k] / n);
      }
    }
    return w;
  }
}
