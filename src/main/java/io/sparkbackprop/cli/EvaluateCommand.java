package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.model.Metrics;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.spark.Scoring;
import io.sparkbackprop.spark.Sessions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code evaluate}: RMSE, MAE and R^2 of a model on labelled Parquet, in one distributed pass. */
final class EvaluateCommand {
  private static final Set<String> VALUED = Set.of("model", "input", "label", "block-size",
      "master");
  private static final Set<String> SWITCHES = Set.of("help", "json", "drop-invalid");

  static final String HELP = """
      usage: evaluate --model DIR --input PARQUET [options]
        --model DIR              model directory written by train (or its model.json)
        --input PATH             Parquet with the model's feature columns and the label
        --label COL              label column (default: the model's)
        --json                   print the metrics as one JSON object instead of a table
        --drop-invalid           skip rows with a null/NaN/infinite feature or label (default: error)
        --block-size N           rows per forward-pass block (default 256)
        --master URL             Spark master (default: spark-submit's, else local[*])
      metrics, in label units: RMSE = sqrt(mean (y - yhat)^2), MAE = mean |y - yhat|,
      R^2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2
      """;

  private EvaluateCommand() {}

  static int run(String[] argv, PrintStream out) throws Exception {
    Args a = Args.parse("evaluate", argv, VALUED, SWITCHES);
    if (a.flag("help")) {
      out.print(HELP);
      return 0;
    }
    String modelArg = a.require("model");
    SavedModel model = SavedModel.read(Path.of(modelArg));
    String input = a.require("input");
    String label = a.get("label", model.label());
    int blockSize = a.getInt("block-size", PredictCommand.BLOCK_SIZE, 1);
    if (model.network().outputWidth() != 1) {
      throw new UsageException("evaluate: the model has " + model.network().outputWidth()
          + " outputs; evaluate handles one");
    }
    SparkSession spark = Sessions.get("evaluate", a.get("master", null));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Dataset<Row> df = Scoring.read(spark, input);
    Scoring.Evaluated e = Scoring.evaluate(sc, input, df, model, label, blockSize,
        a.flag("drop-invalid"));
    Metrics m = e.metrics();
    if (a.flag("json")) {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("model", modelArg);
      o.put("input", input);
      o.put("label", label);
      o.put("rows", m.n());
      o.put("droppedRows", e.dropped());
      putMetrics(o, m);
      out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(o));
    } else {
      out.println("evaluate: " + input + ", label '" + label + "'"
          + (e.dropped() > 0 ? ", " + e.dropped() + " invalid rows dropped" : ""));
      out.printf("  %-6s %14s%n", "metric", "value");
      out.printf("  %-6s %14d%n", "rows", m.n());
      out.printf("  %-6s %14.6g%n", "RMSE", m.rmse());
      out.printf("  %-6s %14.6g%n", "MAE", m.mae());
      out.printf("  %-6s %14.6f%n", "R2", m.r2());
    }
    return 0;
  }

  /** rmse, mae, r2 (null when undefined) into a JSON object. */
  static void putMetrics(ObjectNode o, Metrics m) {
    o.put("rmse", m.rmse());
    o.put("mae", m.mae());
    if (Double.isFinite(m.r2())) {
      o.put("r2", m.r2());
    } else {
      o.putNull("r2");
    }
  }
}
