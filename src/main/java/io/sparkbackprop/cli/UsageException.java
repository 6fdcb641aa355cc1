package io.sparkbackprop.cli;

/**
 * Bad input from the user: printed as one line ("error: ..."), exit code 2, no stack trace.
 * The message names the file, column, row or value at fault.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
