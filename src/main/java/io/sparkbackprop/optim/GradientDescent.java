package io.sparkbackprop.optim;

/** Full-batch gradient descent with a constant learning rate: {@code w -= lr * g}. Stateless. */
public final class GradientDescent implements UpdateRule {
  private final double lr;

  public GradientDescent(double lr) {
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
    }
    this.lr = lr;
  }

  @Override
  public void step(double[] w, double[] g, int t) {
    for (int i = 0; i < w.length; i++) {
      w[i] -= lr * g[i];
    }
  }

  @Override
  public String describe() {
    return "gd(lr=" + lr + ")";
  }
}
