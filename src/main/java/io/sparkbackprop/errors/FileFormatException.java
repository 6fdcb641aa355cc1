package io.sparkbackprop.errors;

/**
 * A file that cannot be used: missing, unreadable, or not what it should be (a model, a weights
 * file, a checkpoint). The message names the file and what is wrong with it, in one line.
 */
public final class FileFormatException extends SparkBackpropException {
  private static final long serialVersionUID = 1L;

  public FileFormatException(String message) {
    super(message);
  }
}
