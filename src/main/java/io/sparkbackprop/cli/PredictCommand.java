package io.sparkbackprop.cli;

import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;
import io.sparkbackprop.spark.ColumnNames;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code predict}: loads a model, assembles its feature columns from a Parquet table, calls
 * {@code transform} and writes the table with the prediction appended, atomically. Two passes
 * over the input: the features are checked for null/NaN/infinite values, then predicted and
 * written.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = CommonOptions.Version.class,
    name = "predict", sortOptions = false, showDefaultValues = true,
    defaultValueProvider = ParamOptions.class,
    description = {"Appends a model's prediction (label units) to every row of a Parquet table.",
        "A model of several outputs appends one column per output: PREDICTION-COL_NAME for each"
            + " output name (e.g. prediction_y1, prediction_y2)."})
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions.Scoring in;

  @Option(names = "--output", required = true, paramLabel = "PATH",
      description = "Parquet directory to write: the input's columns plus the prediction")
  String output;

  @Option(names = "--prediction-col", paramLabel = "NAME", descriptionKey = "predictionCol")
  String predictionCol;

  @Option(names = "--overwrite", description = "replace an existing output")
  boolean overwrite;

  @Mixin CommonOptions.Master master;

  @Override public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (predictionCol.isBlank()) {
      throw new UsageException("predict: --prediction-col is empty");
    }
    SparkSession spark = Sessions.start("predict", master.url, out);
    java.util.Map<String, String> inputs = new java.util.LinkedHashMap<>();
    inputs.put("--input", in.input);
    inputs.put("--model", in.model);
    Outputs.check(spark, "--output", output, overwrite, OutputTarget.Kind.PARQUET, inputs);
    MultilayerPerceptronRegressionModel m = Models.load(in.model);
    Dataset<Row> table = Inputs.read(spark, in.input);
    Inputs.Prepared prepared = Inputs.forModel(in.input, table, m.featureNames(), null);
    if (ColumnNames.taken(Arrays.asList(table.columns()), predictionCol)) {
      throw new UsageException(in.input + ": already has a column '" + predictionCol
          + "' (choose another name with --prediction-col)");
    }
    m.setFeaturesCol(prepared.featuresCol());
    m.setPredictionCol(predictionCol);
    m.setHandleInvalid(in.dropInvalid ? "skip" : "error");
    if (in.blockSize != null) {
      m.setBlockSize(in.blockSize);
    }
    Dataset<Row> assembled = prepared.data();
    long[] counts = m.countInvalid(assembled);
    if (counts[0] - counts[1] == 0) {
      throw new UsageException(in.input + ": no rows to predict" + (counts[1] > 0
          ? " (all " + counts[1] + " have a null, NaN or infinite feature)" : ""));
    }
    List<String> columns = predictionColumns(m);
    for (String c : columns) {
      if (ColumnNames.taken(Arrays.asList(table.columns()), c)) {
        throw new UsageException(in.input + ": already has a column '" + c
            + "' (choose another prefix with --prediction-col)");
      }
    }
    Dataset<Row> predicted = m.transform(assembled);
    if (prepared.assembled()) {
      predicted = predicted.drop(prepared.featuresCol());
    }
    if (m.numOutputs() > 1) {
      predicted = perOutputColumns(predicted, columns);
    }
    if (counts[1] > 0) {
      predicted = predicted.filter(functions.not(functions.isnan(ColumnNames.col(columns.get(0)))));
    }
    spark.sparkContext().setJobDescription("predict: forward pass and write " + output);
    try {
      ParquetOut.write(predicted, output, overwrite);
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
    out.printf("predict: %d rows predicted%s, %s '%s' appended, written to %s%n",
        counts[0] - counts[1], counts[1] > 0 ? " (" + counts[1] + " invalid rows dropped)" : "",
        columns.size() == 1 ? "column" : "columns", String.join("', '", columns), output);
    return 0;
  }

  /** The Vector prediction as one double column per output, named after the model's outputs. */
  private Dataset<Row> perOutputColumns(Dataset<Row> predicted, List<String> columns) {
    String tmp = Inputs.freeName(predicted, "_prediction_array");
    Dataset<Row> p = predicted.withColumn(tmp, org.apache.spark.ml.functions.vector_to_array(
        ColumnNames.col(predictionCol), "float64")).drop(predictionCol);
    for (int k = 0; k < columns.size(); k++) {
      p = p.withColumn(columns.get(k), ColumnNames.col(tmp).getItem(k));
    }
    return p.drop(tmp);
  }

  /**
   * The columns predict appends: {@code --prediction-col} for one output; for k > 1 one double
   * column per output, {@code PREDICTIONCOL_NAME} for each of the model's output names.
   */
  private List<String> predictionColumns(MultilayerPerceptronRegressionModel m) {
    if (m.numOutputs() == 1) {
      return List.of(predictionCol);
    }
    List<String> out = new java.util.ArrayList<>();
    for (String name : m.outputNames()) {
      out.add(predictionCol + "_" + name);
    }
    return out;
  }
}
