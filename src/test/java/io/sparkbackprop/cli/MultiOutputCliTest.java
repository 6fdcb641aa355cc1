package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;
import io.sparkbackprop.ml.MultilayerPerceptronRegressor;
import io.sparkbackprop.ml.RegressionMetrics;
import io.sparkbackprop.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --label y1,y2,y3} on the shipped three-target table: the same model as the API
 * with the labels assembled into a Vector; {@code predict} writes one column per output,
 * {@code evaluate} measures each; a ragged array label is one line and exit 2.
 */
class MultiOutputCliTest {
  static final String FRIEDMAN3 = Path.of("data/friedman3-2k.parquet").toAbsolutePath()
      .toString();
  static final String[] X = {"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10"};
  static final String[] Y = {"y1", "y2", "y3"};

  @TempDir
  Path tmp;

  private static void assertSameDoubles(double[] a, double[] b, String what) {
    assertEquals(a.length, b.length, what + ": length");
    for (int i = 0; i < a.length; i++) {
      assertEquals(Double.doubleToLongBits(a[i]), Double.doubleToLongBits(b[i]),
          what + " at " + i + ": expected " + a[i] + " but was " + b[i]);
    }
  }

  @Test
  void severalLabelColumnsTrainPredictAndEvaluateAsTheApi() throws Exception {
    Path model = tmp.resolve("m");
    CliRun r = CliRun.of("train", "--input", FRIEDMAN3, "--label", "y1,y2,y3",
        "--hidden", "6", "--iterations", "10", "--lr", "0.05", "--model", model.toString());
    assertEquals(0, r.code(), "train exit code; stderr: " + r.err());
    assertTrue(r.out().contains("training y3"), "per-output metrics lines: " + r.out());
    MultilayerPerceptronRegressionModel cli = MultilayerPerceptronRegressionModel.load(
        model.toString());

    SparkSession spark = SparkTestSession.get();
    Dataset<Row> t = spark.read().parquet(FRIEDMAN3);
    t = new VectorAssembler().setInputCols(X).setOutputCol("features").transform(t);
    t = new VectorAssembler().setInputCols(Y).setOutputCol("label").transform(t);
    MultilayerPerceptronRegressionModel api = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 6, 3}).setMaxIter(10).setStepSize(0.05).fit(t);
    assertSameDoubles(api.weights(), cli.weights(), "weights of the CLI vs the API");
    assertEquals(List.of("y1", "y2", "y3"), cli.outputNames(), "the CLI model's output names");
    assertEquals(List.of("y1", "y2", "y3"), api.outputNames(), "the API model's output names");

    Path out = tmp.resolve("p");
    CliRun p = CliRun.of("predict", "--input", FRIEDMAN3, "--model",
        model.toString(), "--output", out.toString());
    assertEquals(0, p.code(), "predict exit code; stderr: " + p.err());
    Dataset<Row> written = spark.read().parquet(out.toString());
    List<Row> got = written.select("prediction_y1", "prediction_y2", "prediction_y3")
        .collectAsList();
    List<Row> want = api.transform(t).select("prediction").collectAsList();
    assertEquals(want.size(), got.size(), "rows predicted");
    for (int i = 0; i < got.size(); i++) {
      double[] v = ((Vector) want.get(i).get(0)).toArray();
      assertSameDoubles(v, new double[] {got.get(i).getDouble(0), got.get(i).getDouble(1),
          got.get(i).getDouble(2)}, "predicted row " + i);
    }

    CliRun e = CliRun.of("evaluate", "--input", FRIEDMAN3, "--model",
        model.toString(), "--json");
    assertEquals(0, e.code(), "evaluate exit code; stderr: " + e.err());
    JsonNode j = new ObjectMapper().readTree(e.out());
    RegressionMetrics m = api.evaluate(t);
    for (int k = 0; k < 3; k++) {
      assertEquals(m.outputs().get(k).r2(), j.path("outputs").path(Y[k]).path("r2").asDouble(),
          1e-12, "evaluate --json r2 of " + Y[k]);
    }
    assertEquals(m.r2(), j.path("r2").asDouble(), 1e-12, "evaluate --json mean r2");
  }

  @Test
  void rowWeightsWithSeveralLabelsEqualRepeatedRowsAndWeighEachOutput() throws Exception {
    // 300 rows with an integer weight 0..3 (seeded); the copies: each row repeated its weight
    // times, in order, without the weight column.
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> head = spark.read().parquet(FRIEDMAN3).limit(300);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(23);
    List<Row> weighted = new ArrayList<>();
    List<Row> copies = new ArrayList<>();
    for (Row r : head.collectAsList()) {
      double w = rnd.nextInt(4);
      Object[] v = new Object[r.size() + 1];
      for (int i = 0; i < r.size(); i++) {
        v[i] = r.get(i);
      }
      v[r.size()] = w;
      weighted.add(RowFactory.create(v));
      for (int c = 0; c < w; c++) {
        copies.add(r);
      }
    }
    String wIn = tmp.resolve("weighted.parquet").toString();
    String cIn = tmp.resolve("copies.parquet").toString();
    spark.createDataFrame(weighted, head.schema().add("w", DataTypes.DoubleType, false))
        .coalesce(1).write().parquet(wIn);
    spark.createDataFrame(copies, head.schema()).coalesce(1).write().parquet(cIn);
    Path wModel = tmp.resolve("mw");
    Path cModel = tmp.resolve("mc");
    String[] common = {"--label", "y1,y2,y3", "--hidden", "4", "--optimizer", "gd",
        "--iterations", "5", "--lr", "0.05", "--partitions", "1"};
    CliRun rw = CliRun.of(concat(new String[] {"train", "--input", wIn,
        "--weight", "w", "--model", wModel.toString()}, common));
    assertEquals(0, rw.code(), "weighted train exit code; stderr: " + rw.err());
    CliRun rc = CliRun.of(concat(new String[] {"train", "--input", cIn,
        "--model", cModel.toString()}, common));
    assertEquals(0, rc.code(), "copies train exit code; stderr: " + rc.err());
    MultilayerPerceptronRegressionModel m = MultilayerPerceptronRegressionModel.load(
        wModel.toString());
    MultilayerPerceptronRegressionModel c = MultilayerPerceptronRegressionModel.load(
        cModel.toString());
    assertEquals(List.of(X), m.featureNames(), "the weight column is not a feature");
    // Not bit for bit: a row of weight k adds k times its gradient once, its copies k times.
    double[] a = c.weights();
    double[] b = m.weights();
    assertEquals(a.length, b.length, "weights");
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), 1e-3));
    }
    assertTrue(worst < 1e-9, "weights of --weight vs repeated rows differ by " + worst
        + " (relative), expected < 1e-9");

    CliRun e = CliRun.of("evaluate", "--input", wIn, "--model",
        wModel.toString(), "--label", "y1,y2,y3", "--weight", "w", "--json");
    assertEquals(0, e.code(), "evaluate exit code; stderr: " + e.err());
    JsonNode j = new ObjectMapper().readTree(e.out());
    Dataset<Row> scored = spark.read().parquet(wIn);
    scored = new VectorAssembler().setInputCols(X).setOutputCol("features").transform(scored);
    scored = m.transform(scored).withColumn("_p", org.apache.spark.ml.functions.vector_to_array(
        org.apache.spark.sql.functions.col("prediction"), "float64"));
    for (int k = 0; k < 3; k++) {
      Dataset<Row> s = scored.withColumn("p", org.apache.spark.sql.functions.col("_p")
          .getItem(k));
      double want = new org.apache.spark.ml.evaluation.RegressionEvaluator().setMetricName("rmse")
          .setWeightCol("w").setLabelCol(Y[k]).setPredictionCol("p").evaluate(s);
      double got = j.path("outputs").path(Y[k]).path("rmse").asDouble(Double.NaN);
      assertTrue(Math.abs(got - want) <= 1e-9 * Math.abs(want), "evaluate --weight --json rmse"
          + " of " + Y[k] + ": expected " + want + " (RegressionEvaluator.setWeightCol) but was "
          + got);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void gradcheckTakesOneLabelColumnPerOutput() throws Exception {
    Path csv = tmp.resolve("rows.csv");
    Files.writeString(csv, "X1,X2,Y1,Y2\n2,3,100,-4\n0.5,-1,7,2\n1,1,0,9\n");
    CliRun r = CliRun.of("gradcheck", "--layers", "2,3,2", "--activation",
        "tanh", "--output-activation", "identity", "--data", csv.toString(), "--label", "Y1,Y2");
    assertEquals(0, r.code(), "gradcheck exit code; out: " + r.out() + " err: " + r.err());
    assertTrue(r.out().contains("OK"), r.out());
    // J by hand from the same weights and rows, labels column-major {Y1..., Y2...}.
    io.sparkbackprop.nn.Network net = GradCheckCommand.network(new int[] {2, 3, 2}, "tanh",
        "identity");
    double j = io.sparkbackprop.nn.GradientCheck.objective(net, net.standardNormalWeights(1),
        new double[] {2, 0.5, 1, 3, -1, 1}, new double[] {100, 7, 0, -4, 2, 9}, 3);
    assertTrue(r.out().contains("sum L = " + GradCheckCommand.fmt(j)), "J = " + j + " in "
        + r.out());
    CliRun wrong = CliRun.of("gradcheck", "--layers", "2,3,2", "--data",
        csv.toString(), "--label", "Y1");
    assertEquals(2, wrong.code(), "one label for two outputs: " + wrong.err());
    assertTrue(wrong.err().contains("layers end in 2"), wrong.err());
  }

  @Test
  void gradcheckExplainsEachOutputsChainAndTheirSum() throws Exception {
    CliRun r = CliRun.of("gradcheck", "--layers", "2,2,2,2", "--label",
        "Y1,Y2", "--explain");
    assertEquals(0, r.code(), "gradcheck --explain exit code; out: " + r.out() + " err: "
        + r.err());
    io.sparkbackprop.nn.Network net = GradCheckCommand.network(new int[] {2, 2, 2, 2}, "sigmoid",
        "sigmoid");
    double[] w = net.standardNormalWeights(1);
    double[] grad = new double[net.size()];
    new io.sparkbackprop.nn.RowBackprop(net).lossAndGradient(w, new double[] {2, 3},
        new double[] {100, 100}, grad);
    String out = r.out();
    assertTrue(out.contains("output 1: chain: dL1/dW[1][1][1]")
        && out.contains("output 2: chain: dL2/dW[1][1][1]"), "both outputs' chains: " + out);
    assertTrue(out.contains("\n  sum ") && out.contains("= dL1/dW[1][1][1] + dL2/dW[1][1][1]"),
        "the sum: " + out);
    String bp = io.sparkbackprop.nn.ChainRuleText.fmt(grad[net.index(1, 1, 1)]);
    assertTrue(out.lines().anyMatch(l -> l.contains("RowBackprop's dL/dW[1][1][1] ")
        && l.contains(bp)), "backprop's dL/dW "
        + grad[net.index(1, 1, 1)] + " in " + out);
    assertTrue(out.contains("agreement for W[1][1][1]: backprop vs central difference")
        && out.strip().endsWith("OK"), "the verdict: " + out);
  }

  @Test
  void aRaggedArrayLabelIsOneLineExit2AndNoModel() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = new StructType().add("x1", DataTypes.DoubleType, false)
        .add("x2", DataTypes.DoubleType, false)
        .add("y", DataTypes.createArrayType(DataTypes.DoubleType), true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      List<Double> y = i == 6 ? List.of(1.0, 2.0) : List.of(1.0 * i, 2.0, -1.0 * i);
      rows.add(RowFactory.create(1.0 * i, 0.5 * i, scala.jdk.javaapi.CollectionConverters
          .asScala(y).toSeq()));
    }
    String input = tmp.resolve("ragged.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(input);
    Path model = tmp.resolve("never");
    CliRun r = CliRun.of("train", "--input", input, "--label", "y",
        "--hidden", "3", "--iterations", "2", "--model", model.toString());
    assertEquals(2, r.code(), "exit code; stderr: " + r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains("'y'") && r.err().contains("row 6"), "names the column and the"
        + " row: " + r.err());
    assertFalse(Files.exists(model), "no model written");
  }
}
