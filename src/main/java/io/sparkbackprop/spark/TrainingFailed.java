package io.sparkbackprop.spark;

/** Training cannot go on (for example the objective became NaN); the message says why and what helps. */
public final class TrainingFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingFailed(String message) {
    super(message);
  }
}
