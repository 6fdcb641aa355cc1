package io.sparkbackprop.optim;

/**
 * A driver-side update rule. Order of use: make a NEW instance per training run, then call
 * {@link #step} once per iteration with the mean gradient g = dJ/dw (see
 * {@link io.sparkbackprop.nn.SquaredError} for J and the sign). Any state (momentum, moments)
 * lives in the instance, and nowhere else.
 */
public interface UpdateRule {
  /**
   * Moves {@code w} against the gradient.
   *
   * @param w weights (Modified: updated in place)
   * @param g mean gradient dJ/dw at w (not modified)
   * @param t iteration number, 1-based
   */
  void step(double[] w, double[] g, int t);

  /** A short description with every setting, for logs and the saved model. */
  String describe();

  /** The base learning rate (the stepSize Param: the schedule's rate at t = 1), for messages. */
  default double stepSize() {
    return Double.NaN;
  }

  /** The rule's state (e.g. momentum's velocity, Adam's moments) as arrays, for checkpoints. */
  default double[][] state() {
    return new double[0][];
  }

  /** Restores what {@link #state()} returned. */
  default void restore(double[][] state) {
    if (state.length != 0) {
      throw new IllegalArgumentException(describe() + " has no state to restore");
    }
  }
}
