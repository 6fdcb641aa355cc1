package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;
import io.sparkbackprop.ml.RegressionMetrics;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate}: RMSE, MAE and R^2 of a model on labelled Parquet, in one distributed pass. */
@Command(mixinStandardHelpOptions = true, versionProvider = CommonOptions.Version.class,
    name = "evaluate", sortOptions = false, showDefaultValues = true,
    description = {"RMSE, MAE and R^2 of a model on a labelled Parquet table, in label units:",
        "RMSE = sqrt(mean (y - yhat)^2), MAE = mean |y - yhat|,"
            + " R^2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2"})
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions.Scoring in;

  @Option(names = "--label", paramLabel = "COL[,COL...]",
      description = "label column, or one per output for a model of several (default: the"
          + " model's label, or its output names)")
  String label;

  @Option(names = "--weight", paramLabel = "COL", description = "row weights: the metrics"
      + " weighted as Spark's RegressionEvaluator.setWeightCol weighs them (RMSE = sqrt(sum w"
      + " (y - yhat)^2 / sum w), MAE likewise); a negative, NaN, infinite or null weight is an"
      + " invalid value (default: none, every row weighs 1)")
  String weight;

  @Option(names = "--json", description = "print the metrics as one JSON object, alone on stdout")
  boolean json;

  @Mixin CommonOptions.Master master;

  @Override public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    // With --json, stdout is that one object: no "starting Spark" line before it.
    SparkSession spark = json ? Sessions.get("evaluate", master.url)
        : Sessions.start("evaluate", master.url, out);
    MultilayerPerceptronRegressionModel m = Models.load(in.model);
    Dataset<Row> table = Inputs.read(spark, in.input);
    List<String> labels = m.numOutputs() == 1
        ? List.of(label != null ? label : m.getLabelCol())
        : Inputs.labels(in.input, table, label != null ? label : String.join(",", m.outputNames()));
    if (labels.size() != m.numOutputs()) {
      throw new UsageException("evaluate: --label names " + labels.size() + " column(s); the model"
          + " has " + m.numOutputs() + " outputs (" + String.join(",", m.outputNames()) + ")");
    }
    String labelCol = labels.get(0);
    Inputs.Prepared prepared = Inputs.forModel(in.input, table, m.featureNames(), labelCol);
    labelCol = Inputs.column(in.input, table, labelCol, "label");
    Dataset<Row> data = prepared.data();
    if (labels.size() > 1) {
      labelCol = Inputs.freeName(data, "label");
      data = Inputs.assemble(data, labels, labelCol);
    }
    m.setFeaturesCol(prepared.featuresCol());
    m.setLabelCol(labelCol);
    m.setWeightCol(weight == null ? null : Inputs.column(in.input, table, weight, "weight"));
    m.setHandleInvalid(in.dropInvalid ? "skip" : "error");
    if (in.blockSize != null) {
      m.setBlockSize(in.blockSize);
    }
    RegressionMetrics r = m.evaluate(data);
    if (json) {
      printJson(out, m, labels, r);
    } else {
      printTable(out, m, labels, r);
    }
    return 0;
  }

  /** The metrics as one JSON object (overall, and per output when there are several). */
  private void printJson(PrintWriter out, MultilayerPerceptronRegressionModel m,
      List<String> labels, RegressionMetrics r) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode o = mapper.createObjectNode();
    o.put("model", in.model);
    o.put("input", in.input);
    o.put("label", String.join(",", labels));
    if (weight != null) {
      o.put("weight", m.getWeightCol());
    }
    o.put("rows", r.rows());
    o.put("droppedRows", r.skippedRows());
    putMetrics(o, r);
    if (labels.size() > 1) {
      ObjectNode per = o.putObject("outputs");
      for (int k = 0; k < labels.size(); k++) {
        putMetrics(per.putObject(labels.get(k)), r.outputs().get(k));
      }
    }
    out.println(mapper.writeValueAsString(o));
  }

  /** The metrics as a table: one row per output and their mean, or rows, RMSE, MAE, R2. */
  private void printTable(PrintWriter out, MultilayerPerceptronRegressionModel m,
      List<String> labels, RegressionMetrics r) {
    out.println("evaluate: " + in.input + ", label '" + String.join(",", labels) + "'"
        + (weight != null ? ", weights '" + m.getWeightCol() + "'" : "")
        + (r.skippedRows() > 0 ? ", " + r.skippedRows() + " invalid rows dropped" : ""));
    if (labels.size() > 1) {
      out.printf("  %-20s %10s %14s %14s %10s%n", "output", "rows", "RMSE", "MAE", "R2");
      for (int k = 0; k < labels.size(); k++) {
        RegressionMetrics q = r.outputs().get(k);
        out.printf("  %-20s %10d %14.6g %14.6g %10.6f%n", labels.get(k), q.rows(), q.rmse(),
            q.mae(), q.r2());
      }
      out.printf("  %-20s %10d %14.6g %14.6g %10.6f%n", "mean of outputs", r.rows(), r.rmse(),
          r.mae(), r.r2());
      return;
    }
    out.printf("  %-6s %14s%n", "metric", "value");
    out.printf("  %-6s %14d%n", "rows", r.rows());
    out.printf("  %-6s %14.6g%n", "RMSE", r.rmse());
    out.printf("  %-6s %14.6g%n", "MAE", r.mae());
    out.printf("  %-6s %14.6f%n", "R2", r.r2());
  }

  /** rmse, mae and r2 (null when not finite, e.g. a constant label) into {@code o}. */
  private static void putMetrics(ObjectNode o, RegressionMetrics m) {
    o.put("rmse", m.rmse());
    o.put("mae", m.mae());
    if (Double.isFinite(m.r2())) {
      o.put("r2", m.r2());
    } else {
      o.putNull("r2");
    }
  }
}
