package io.sparkbackprop.errors;

/**
 * The data cannot be used as given: a missing or mistyped column, invalid values, rows of
 * different lengths, no rows. {@link #getMessage()} is the fact in plain words (naming the column,
 * the row or the values at fault) and a hint in the library's terms (its Params); {@link #fact()}
 * is the fact alone, for callers with hints of their own. The message does not name a file: the
 * data is a DataFrame; whoever read it from a path adds the path.
 */
public final class DataException extends SparkBackpropException {
  private static final long serialVersionUID = 1L;

  /** What is wrong. */
  public enum Kind {
    /** A column is missing. */
    NO_COLUMN,
    /** A column has a type that cannot be used. */
    WRONG_TYPE,
    /** Null, NaN or infinite values (skippable). */
    INVALID_VALUES,
    /** Rows whose feature vectors differ in length, or differ from the network's input. */
    WIDTH,
    /** No rows (left). */
    NO_ROWS,
    /** Values too large to standardize (their variance overflows a double). */
    OVERFLOW
  }

  private final Kind kind;
  private final String fact;
  private final boolean validationSide;

  public DataException(Kind kind, String fact, String hint) {
    this(kind, fact, hint, false);
  }

  /**
   * @param validationSide whether the fault is in the validation rows only (a caller that read
   *     them from a file of their own can name that file)
   */
  public DataException(Kind kind, String fact, String hint, boolean validationSide) {
    super(hint == null || hint.isEmpty() ? fact : fact + "; " + hint);
    this.kind = kind;
    this.fact = fact;
    this.validationSide = validationSide;
  }

  public Kind kind() {
    return kind;
  }

  /** The message without the hint. */
  public String fact() {
    return fact;
  }

  /** Whether every faulty row is a validation row. */
  public boolean validationSide() {
    return validationSide;
  }
}
