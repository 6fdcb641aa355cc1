package io.sparkbackprop.cli;

import io.sparkbackprop.io.SavedModel;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options and settings several commands share, declared once (picocli mixins). */
final class CommonOptions {
  private CommonOptions() {}

  /** {@code --master} and {@code --verbose}, for the commands that start Spark. */
  static final class Master {
    @Option(names = "--master", paramLabel = "URL",
        description = "Spark master (default: spark-submit's, else local[*])")
    String url;

    @Option(names = "--verbose", description = "Spark's own log lines on the console too (in"
        + " local mode the launch scripts write them to a log file, which an error names)")
    boolean verbose;
  }

  /** What predict and evaluate read: a model, a table, and what to do with invalid rows. */
  static final class Scoring {
    @Option(names = "--model", required = true, paramLabel = "DIR",
        description = "model directory written by train or by the ML API (or its model.json)")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH",
        description = "Parquet with the model's feature columns, of any numeric type (and, for"
            + " evaluate, the label)")
    String input;

    @Option(names = "--drop-invalid",
        description = "skip rows with a null/NaN/infinite value (default: refuse the table)")
    boolean dropInvalid;

    @Option(names = "--block-size", paramLabel = "N",
        description = "rows per forward-pass block (default: the model's)")
    Integer blockSize;
  }

  /** {@code --version}: the project's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() {
      return new String[] {"spark-backprop " + SavedModel.projectVersion()};
    }
  }
}
