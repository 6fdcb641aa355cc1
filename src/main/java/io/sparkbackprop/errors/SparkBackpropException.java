package io.sparkbackprop.errors;

/**
 * What the library throws when it refuses or cannot go on, in plain words: bad data
 * ({@link DataException}), a training run that cannot continue ({@link TrainingFailed}), a file
 * that is not what it should be ({@link FileFormatException}), an output that may not or could not
 * be written ({@link OutputException}). Catch this one type for all four.
 */
public abstract class SparkBackpropException extends RuntimeException {
  protected SparkBackpropException(String message) {
    super(message);
  }

  protected SparkBackpropException(String message, Throwable cause) {
    super(message, cause);
  }
}
