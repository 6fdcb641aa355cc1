package io.sparkbackprop.errors;

/**
 * An output cannot be written: it exists and may not be replaced, or the file system refused.
 * The message names the path; nothing partial is left under it.
 */
public final class OutputException extends SparkBackpropException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The target exists and overwriting was not asked for. */
    EXISTS,
    /** The target may not be replaced: it holds what is not ours, or data being read. */
    REFUSED,
    /** The file system refused (permissions, space, a file where a directory should be...). */
    FAILED
  }

  private final Kind kind;
  private final String path;

  public OutputException(Kind kind, String path, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.path = path;
  }

  public Kind kind() {
    return kind;
  }

  public String path() {
    return path;
  }
}
