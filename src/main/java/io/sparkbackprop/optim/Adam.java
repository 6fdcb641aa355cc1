package io.sparkbackprop.optim;

/**
 * Adam (Kingma and Ba, 2015):
 * <pre>
 *   m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2          (m, v start at 0)
 *   w -= lr_t * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * Defaults b1 = 0.9, b2 = 0.999, eps = 1e-8. State: m and v, here only; a new instance per run.
 */
public final class Adam implements UpdateRule {
  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;
  public static final double EPSILON = 1e-8;

  private final LearningRate lr;
  private final double b1;
  private final double b2;
  private final double eps;
  private double[] m;
  private double[] v;

  public Adam(LearningRate lr, double beta1, double beta2, double epsilon) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("Adam needs 0 <= beta1, beta2 < 1 and epsilon > 0, got "
          + beta1 + ", " + beta2 + ", " + epsilon);
    }
    this.lr = lr;
    this.b1 = beta1;
    this.b2 = beta2;
    this.eps = epsilon;
  }

  @Override
  public double stepSize() {
    return lr.lr();
  }

  @Override
  public void step(double[] w, double[] g, int t) {
    if (m == null) {
      m = new double[w.length];
      v = new double[w.length];
    }
    double rate = lr.at(t);
    double c1 = 1.0 - Math.pow(b1, t);
    double c2 = 1.0 - Math.pow(b2, t);
    for (int i = 0; i < w.length; i++) {
      m[i] = b1 * m[i] + (1.0 - b1) * g[i];
      v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
      w[i] -= rate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
    }
  }

  @Override
  public double[][] state() {
    return m == null ? new double[0][] : new double[][] {m.clone(), v.clone()};
  }

  @Override
  public void restore(double[][] state) {
    m = state.length == 0 ? null : state[0].clone();
    v = state.length == 0 ? null : state[1].clone();
  }

  @Override
  public String describe() {
    return "adam(" + lr.describe() + ", beta1=" + b1 + ", beta2=" + b2 + ", epsilon=" + eps + ")";
  }
}
