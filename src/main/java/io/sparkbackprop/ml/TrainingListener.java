package io.sparkbackprop.ml;

import io.sparkbackprop.optim.Iteration;

/**
 * Hears a fit as it goes, on the driver's thread that called {@code fit}. Every method has an
 * empty default, so a listener implements what it needs (a lambda is an {@link #onIteration}).
 */
@FunctionalInterface
public interface TrainingListener {
  /** After the data is read and cached, before the first iteration. */
  default void onStart(TrainingStart start) {}

  /**
   * After each iteration: t, the objective and gradient norm at the weights it started from, its
   * seconds, and the validation RMSE there (NaN when not computed).
   *
   * @param maxIterations the iteration limit (maxIter)
   */
  void onIteration(Iteration iteration, int maxIterations);

  /** After the final metrics, with the summary the model will carry. */
  default void onEnd(TrainingSummary summary) {}
}
