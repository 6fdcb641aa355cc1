package io.sparkbackprop.cli;

import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.spark.ParquetOut;
import io.sparkbackprop.spark.Scoring;
import io.sparkbackprop.spark.Sessions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code predict}: appends the model's prediction (label units) to every row of a Parquet table
 * and writes the result as Parquet, atomically. Two passes over the input: the feature columns
 * alone are scanned for null/NaN/infinite values, then the rows are predicted and written.
 */
final class PredictCommand {
  static final String PREDICTION_COL = "prediction";
  static final int BLOCK_SIZE = 256;

  private static final Set<String> VALUED = Set.of("model", "input", "output", "prediction-col",
      "block-size", "master");
  private static final Set<String> SWITCHES = Set.of("help", "overwrite", "drop-invalid");

  static final String HELP = """
      usage: predict --model DIR --input PARQUET --output PARQUET [options]
        --model DIR              model directory written by train (or its model.json)
        --input PATH             Parquet with the model's feature columns (any numeric type); other
                                 columns are kept
        --output PATH            Parquet directory to write: the input's columns plus the prediction
        --prediction-col NAME    name of the appended double column (default prediction)
        --overwrite              replace an existing output
        --drop-invalid           skip rows with a null/NaN/infinite feature (default: error)
        --block-size N           rows per forward-pass block (default 256)
        --master URL             Spark master (default: spark-submit's, else local[*])
      """;

  private PredictCommand() {}

  static int run(String[] argv, PrintStream out) {
    Args a = Args.parse("predict", argv, VALUED, SWITCHES);
    if (a.flag("help")) {
      out.print(HELP);
      return 0;
    }
    SavedModel model = SavedModel.read(Path.of(a.require("model")));
    String input = a.require("input");
    String output = a.require("output");
    String predCol = a.get("prediction-col", PREDICTION_COL);
    if (predCol.isBlank()) {
      throw new UsageException("predict: --prediction-col is empty");
    }
    int blockSize = a.getInt("block-size", BLOCK_SIZE, 1);
    boolean overwrite = a.flag("overwrite");
    boolean drop = a.flag("drop-invalid");
    if (model.network().outputWidth() != 1) {
      throw new UsageException("predict: the model has " + model.network().outputWidth()
          + " outputs; predict writes one column");
    }

    SparkSession spark = Sessions.get("predict", a.get("master", null));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ParquetOut.checkTarget(spark, output, overwrite);
    Dataset<Row> df = Scoring.read(spark, input);
    Scoring.requireNumericColumns(input, df, model.features(), "feature");
    if (java.util.Arrays.asList(df.columns()).contains(predCol)) {
      throw new UsageException(input + ": already has a column '" + predCol
          + "' (choose another name with --prediction-col)");
    }
    sc.setJobDescription("predict: check the feature columns");
    long[] counts = Scoring.countInvalid(df, model.features());
    sc.setJobDescription(null);
    if (counts[1] > 0 && !drop) {
      throw Scoring.invalidRows(input, model.features(), counts);
    }
    if (counts[0] - counts[1] == 0) {
      throw new UsageException(input + ": no rows to predict" + (counts[1] > 0
          ? " (all " + counts[1] + " have a null, NaN or infinite feature)" : ""));
    }
    Scoring.Prediction p = Scoring.predict(sc, df, model, predCol, blockSize, drop);
    try {
      sc.setJobDescription("predict: forward pass and write " + output);
      ParquetOut.write(p.data(), output, overwrite);
    } finally {
      p.weights().destroy();
      sc.setJobDescription(null);
    }
    out.printf("predict: %d rows predicted%s, column '%s' appended, written to %s%n",
        counts[0] - counts[1], counts[1] > 0 ? " (" + counts[1] + " invalid rows dropped)" : "",
        predCol, output);
    return 0;
  }
}
