package io.sparkbackprop.errors;

/**
 * Training cannot go on. {@link #getMessage()} is the fact and a hint in the library's terms (its
 * Params); {@link #fact()} is the fact alone, for callers that give hints of their own (the
 * command line names its options instead).
 */
public final class TrainingFailed extends SparkBackpropException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** J, g or the weights stopped being finite. */
    DIVERGED,
    /** A checkpoint does not belong to this run. */
    CHECKPOINT_MISMATCH,
    /** A checkpoint could not be read or written. */
    CHECKPOINT_IO
  }

  private final Kind kind;
  private final String fact;

  public TrainingFailed(Kind kind, String fact, String hint) {
    super(hint == null || hint.isEmpty() ? fact : fact + "; " + hint);
    this.kind = kind;
    this.fact = fact;
  }

  public Kind kind() {
    return kind;
  }

  /** The message without the hint. */
  public String fact() {
    return fact;
  }
}
