package io.sparkbackprop.optim;

/** Gradient descent: {@code w -= lr_t * g}. Stateless. */
public final class GradientDescent implements UpdateRule {
  private final LearningRate lr;

  public GradientDescent(double lr) {
    this(LearningRate.constant(lr));
  }

  public GradientDescent(LearningRate lr) {
    this.lr = lr;
  }

  @Override
  public double stepSize() {
    return lr.lr();
  }

  @Override
  public void step(double[] w, double[] g, int t) {
    double rate = lr.at(t);
    for (int i = 0; i < w.length; i++) {
      w[i] -= rate * g[i];
    }
  }

  @Override
  public String describe() {
    return "gd(" + lr.describe() + ")";
  }
}
