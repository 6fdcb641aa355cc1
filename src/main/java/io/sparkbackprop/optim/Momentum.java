package io.sparkbackprop.optim;

/**
 * Gradient descent with momentum mu, plain or Nesterov's (in the form scikit-learn uses):
 * <pre>
 *   v  = mu v - lr_t g            (v starts at 0)
 *   w += v                        (plain)
 *   w += mu v - lr_t g            (Nesterov: the look-ahead step, with the new v)
 * </pre>
 * State: the velocity v, here and nowhere else; make a new instance per run.
 */
public final class Momentum implements UpdateRule {
  private final LearningRate lr;
  private final double mu;
  private final boolean nesterov;
  private double[] v;

  public Momentum(LearningRate lr, double mu, boolean nesterov) {
    if (!(mu >= 0 && mu < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + mu);
    }
    this.lr = lr;
    this.mu = mu;
    this.nesterov = nesterov;
  }

  @Override
  public double stepSize() {
    return lr.lr();
  }

  @Override
  public void step(double[] w, double[] g, int t) {
    if (v == null) {
      v = new double[w.length];
    }
    double rate = lr.at(t);
    for (int i = 0; i < w.length; i++) {
      v[i] = mu * v[i] - rate * g[i];
      w[i] += nesterov ? mu * v[i] - rate * g[i] : v[i];
    }
  }

  @Override
  public double[][] state() {
    return v == null ? new double[0][] : new double[][] {v.clone()};
  }

  @Override
  public void restore(double[][] state) {
    v = state.length == 0 ? null : state[0].clone();
  }

  @Override
  public String describe() {
    return (nesterov ? "nesterov" : "momentum") + "(" + lr.describe() + ", momentum=" + mu + ")";
  }
}
