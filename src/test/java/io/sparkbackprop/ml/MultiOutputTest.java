package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertRelClose;
import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.ReferenceTrainer;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.errors.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network of three outputs on the shipped Friedman #1/#2/#3 table: the fit against the
 * per-row reference trainer, the per-output metrics against Spark's RegressionEvaluator, a
 * Vector label against an array label, save and load, a ragged label; integer row weights
 * against repeated rows and weighted per-output metrics against the evaluator's weightCol; and an
 * old single-output model.json that still loads and predicts.
 */
class MultiOutputTest {
  static final String FRIEDMAN3 = Path.of("data/friedman3-2k.parquet").toAbsolutePath()
      .toString();
  static final String[] X = {"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10"};
  static final String[] Y = {"y1", "y2", "y3"};
  private static final int ITERATIONS = 15;
  private static final double LR = 0.1;

  private static Dataset<Row> data;
  private static MultilayerPerceptronRegressionModel model;
  private static double[] w0;

  @TempDir
  Path tmp;

  /** The shipped table with "features" (x1..x10), "label" (a Vector of y1..y3) and "labels" (array). */
  static Dataset<Row> friedman3() {
    Dataset<Row> t = MlFixtures.spark().read().parquet(FRIEDMAN3);
    t = new VectorAssembler().setInputCols(X).setOutputCol("features").transform(t);
    t = new VectorAssembler().setInputCols(Y).setOutputCol("label").transform(t);
    return t.withColumn("labels", functions.array(functions.col("y1"), functions.col("y2"),
        functions.col("y3")));
  }

  static MultilayerPerceptronRegressor estimator() {
    return new MultilayerPerceptronRegressor().setLayers(new int[] {10, 6, 3}).setSolver("gd")
        .setMaxIter(ITERATIONS).setStepSize(LR).setInitialWeights(Vectors.dense(w0));
  }

  @BeforeAll
  static void fit() {
    w0 = Network.of(new int[] {10, 6, 3}, io.sparkbackprop.nn.Activation.RELU,
        io.sparkbackprop.nn.Activation.IDENTITY).initialWeights(5);
    data = friedman3().repartition(3).cache();
    model = estimator().fit(data);
  }

  @AfterAll
  static void release() {
    data.unpersist(true);
  }

  @Test
  void eachOutputIsStandardizedOnItsOwnAndTheFitEqualsTheReferenceTrainer() {
    List<Row> rows = data.select("features", "y1", "y2", "y3").collectAsList();
    int n = rows.size();
    double[][] x = new double[n][];
    double[][] y = new double[n][3];
    for (int i = 0; i < n; i++) {
      x[i] = ((Vector) rows.get(i).get(0)).toArray();
      for (int k = 0; k < 3; k++) {
        y[i][k] = rows.get(i).getDouble(k + 1);
      }
    }
    // Population mean and standard deviation of each label, two passes.
    Scaling s = model.scaling();
    assertEquals(3, s.outputs(), "label scalings");
    for (int k = 0; k < 3; k++) {
      double mean = 0;
      for (double[] r : y) {
        mean += r[k];
      }
      mean /= n;
      double ss = 0;
      for (double[] r : y) {
        ss += (r[k] - mean) * (r[k] - mean);
      }
      assertRelClose(mean, s.labelMeans()[k], 1e-12, "mean of " + Y[k]);
      assertRelClose(Math.sqrt(ss / n), s.labelScales()[k], 1e-12, "scale of " + Y[k]);
    }
    // The reference trainer on the rows standardized with the model's scaling.
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = (x[i][j] - s.mean()[j]) / s.scale()[j];
      }
      for (int k = 0; k < 3; k++) {
        y[i][k] = (y[i][k] - s.labelMeans()[k]) / s.labelScales()[k];
      }
    }
    double[] expected = ReferenceTrainer.gradientDescent(model.network(), x, y, w0, LR,
        ITERATIONS);
    double[] got = model.weights();
    double worst = 0;
    for (int i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - expected[i]) / Math.max(Math.abs(expected[i]),
          1e-300));
    }
    // Sums in another order (blocks, partitions, a tree): rounding only.
    assertTrue(worst <= 1e-10, "largest relative difference from the reference trainer: " + worst
        + ", expected <= 1e-10");
    assertTrue(!java.util.Arrays.equals(got, w0), "the weights did not move");
  }

  /** Column k of a Vector column, as a double column. */
  private static Dataset<Row> withElements(Dataset<Row> df, String vectorCol) {
    Dataset<Row> out = df.withColumn("_p", org.apache.spark.ml.functions.vector_to_array(
        functions.col(vectorCol), "float64"));
    for (int k = 0; k < 3; k++) {
      out = out.withColumn("p" + k, functions.col("_p").getItem(k));
    }
    return out;
  }

  @Test
  void perOutputMetricsEqualSparksEvaluatorOnEachOutput() {
    Dataset<Row> scored = model.transform(data);
    assertInstanceOf(VectorUDT.class, scored.schema().apply("prediction").dataType(),
        "the prediction column of 3 outputs");
    scored = withElements(scored, "prediction");
    RegressionMetrics ours = model.evaluate(data);
    RegressionMetrics summary = model.summary().training();
    assertEquals(3, ours.outputs().size(), "per-output metrics of evaluate");
    assertEquals(3, summary.outputs().size(), "per-output metrics of the summary");
    double meanR2 = 0;
    for (int k = 0; k < 3; k++) {
      for (String metric : new String[] {"rmse", "mae", "r2"}) {
        double spark = new RegressionEvaluator().setMetricName(metric).setLabelCol(Y[k])
            .setPredictionCol("p" + k).evaluate(scored);
        RegressionMetrics e = ours.outputs().get(k);
        RegressionMetrics t = summary.outputs().get(k);
        double o = metric.equals("rmse") ? e.rmse() : metric.equals("mae") ? e.mae() : e.r2();
        double m = metric.equals("rmse") ? t.rmse() : metric.equals("mae") ? t.mae() : t.r2();
        assertRelClose(spark, o, 1e-9, "evaluate " + metric + " of " + Y[k]);
        assertRelClose(spark, m, 1e-9, "summary " + metric + " of " + Y[k]);
        if (metric.equals("r2")) {
          meanR2 += spark / 3;
        }
      }
    }
    // scikit-learn's r2_score(multioutput='uniform_average'): the plain mean over outputs.
    assertRelClose(meanR2, ours.r2(), 1e-9, "evaluate's mean R2");
    assertRelClose(meanR2, summary.r2(), 1e-9, "the summary's mean R2");
    assertEquals(List.of("y1", "y2", "y3"), model.outputNames(), "output names from the"
        + " assembler's attributes");
  }

  @Test
  void anArrayLabelGivesTheSameModelAsAVectorLabel() {
    MultilayerPerceptronRegressionModel fromArray = estimator().setLabelCol("labels").fit(data);
    assertSameDoubles(model.weights(), fromArray.weights(), "weights of array vs Vector label");
    assertSameDoubles(model.scaling().labelScales(), fromArray.scaling().labelScales(),
        "label scales");
    assertEquals(List.of("labels[0]", "labels[1]", "labels[2]"), fromArray.outputNames(),
        "output names of an array label");
  }

  @Test
  void everySolverAndFloatModeTrainThreeOutputs() {
    for (String solver : new String[] {"sgd", "adam", "l-bfgs", "local-adam", "local-sgd"}) {
      MultilayerPerceptronRegressor e = new MultilayerPerceptronRegressor()
          .setLayers(new int[] {10, 8, 3}).setSolver(solver).setMaxIter(5).setSeed(3);
      MultilayerPerceptronRegressionModel m = e.fit(data);
      double[] h = m.summary().objectiveHistory();
      assertTrue(Double.isFinite(m.summary().finalObjective())
          && m.summary().finalObjective() < h[0], solver + ": the objective went from " + h[0]
          + " to " + m.summary().finalObjective());
    }
    MultilayerPerceptronRegressionModel f = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 8, 3}).setSolver("adam").setMaxIter(5).setPrecision("float")
        .setValidationFraction(0.2).setPatience(3).fit(data);
    assertEquals(3, f.summary().validation().outputs().size(), "validation metrics per output");
    // The validation RMSE of the history is over all outputs pooled: at the final weights it
    // is sqrt(mean over the outputs of their MSE).
    assertTrue(f.summary().validationHistory().length > 0, "validation history");
  }

  @Test
  void theValidationRmseIsOverAllOutputsPooled() {
    // One iteration: history[0] holds the validation RMSE at the initial weights w0.
    MultilayerPerceptronRegressionModel m = estimator().setMaxIter(1).setValidationFraction(0.25)
        .setSplitSeed(4).fit(data);
    double got = m.summary().history().get(0).validationRmse();
    // The validation rows by the split's public rule on {features..., y1, y2, y3}.
    io.sparkbackprop.spark.ContentSplit split = new io.sparkbackprop.spark.ContentSplit(4, 0.25);
    List<Row> val = new ArrayList<>();
    StructType schema = new StructType().add("features", new VectorUDT(), false)
        .add("label", new VectorUDT(), false);
    for (Row r : data.select("features", "label").collectAsList()) {
      double[] x = ((Vector) r.get(0)).toArray();
      double[] y = ((Vector) r.get(1)).toArray();
      double[] v = java.util.Arrays.copyOf(x, x.length + 3);
      System.arraycopy(y, 0, v, x.length, 3);
      if (split.isValidation(v)) {
        val.add(r);
      }
    }
    assertEquals(m.summary().validationRows(), val.size(), "validation rows by the split's rule");
    MultilayerPerceptronRegressionModel atStart = new MultilayerPerceptronRegressionModel("w0",
        m.network(), w0, m.scaling(), m.featureNames(), m.outputNames(), null);
    RegressionMetrics e = atStart.evaluate(MlFixtures.spark().createDataFrame(val, schema));
    double sumMse = 0;
    for (RegressionMetrics k : e.outputs()) {
      sumMse += k.mse();
    }
    // sqrt(sum over rows and outputs of (y - yhat)^2 / (n k)) = sqrt(mean over outputs of MSE).
    assertRelClose(Math.sqrt(sumMse / 3), got, 1e-9, "validation RMSE at w0");
  }

  @Test
  void saveAndLoadKeepTheOutputsAndThePredictions() throws IOException {
    String dir = tmp.resolve("m3").toString();
    model.write().save(dir);
    MultilayerPerceptronRegressionModel back = MultilayerPerceptronRegressionModel.load(dir);
    assertEquals(List.of("y1", "y2", "y3"), back.outputNames(), "output names");
    assertSameDoubles(model.scaling().labelMeans(), back.scaling().labelMeans(), "label means");
    assertSameDoubles(model.scaling().labelScales(), back.scaling().labelScales(),
        "label scales");
    List<Row> a = model.transform(data).select("prediction").collectAsList();
    List<Row> b = back.transform(data).select("prediction").collectAsList();
    for (int i = 0; i < a.size(); i++) {
      assertSameDoubles(((Vector) a.get(i).get(0)).toArray(), ((Vector) b.get(i).get(0))
          .toArray(), "prediction of row " + i);
    }
    assertSameDoubles(model.predictAll(Vectors.dense(new double[10])),
        back.predictAll(Vectors.dense(new double[10])), "predictAll");
    assertEquals(3, back.summary().training().outputs().size(), "the summary's per-output"
        + " metrics saved");
  }

  @Test
  void aRaggedLabelIsOneLineNamingTheColumnAndRow() {
    StructType schema = new StructType()
        .add("features", new VectorUDT(), false)
        .add("y", DataTypes.createArrayType(DataTypes.DoubleType), true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      rows.add(RowFactory.create(Vectors.dense(i, 1.0 / (i + 1)), i == 5
          ? scala.jdk.javaapi.CollectionConverters.asScala(List.of(1.0, 2.0)).toSeq()
          : scala.jdk.javaapi.CollectionConverters.asScala(List.of(1.0 * i, 2.0, 3.0 - i))
              .toSeq()));
    }
    Dataset<Row> df = MlFixtures.spark().createDataFrame(rows, schema);
    DataException e = assertThrows(DataException.class, () -> new MultilayerPerceptronRegressor()
        .setLayers(new int[] {2, 3, 3}).setLabelCol("y").setMaxIter(2).fit(df));
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    assertTrue(e.getMessage().contains("'y'") && e.getMessage().contains("row 5")
        && e.getMessage().contains("3 outputs"), "names the column, the row and the outputs: "
        + e.getMessage());
    DataException numeric = assertThrows(DataException.class, () ->
        new MultilayerPerceptronRegressor().setLayers(new int[] {2, 3, 3}).setMaxIter(2)
            .fit(df.withColumn("label", functions.lit(1.0))));
    assertTrue(numeric.getMessage().contains("'label'") && numeric.getMessage().contains(
        "3 outputs"), "a numeric label for 3 outputs: " + numeric.getMessage());
  }

  @Test
  void integerRowWeightsEqualRepeatedRowsAndWeighEachOutputsMetrics() {
    // 300 rows of the shipped table, integer weights 0..3 (seeded); the copies: each row
    // repeated its weight times, in order.
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(19);
    List<Row> weighted = new ArrayList<>();
    List<Row> copies = new ArrayList<>();
    for (Row r : friedman3().select("features", "label").limit(300).collectAsList()) {
      double w = rnd.nextInt(4);
      weighted.add(RowFactory.create(r.get(0), r.get(1), w));
      for (int c = 0; c < w; c++) {
        copies.add(RowFactory.create(r.get(0), r.get(1), 1.0));
      }
    }
    StructType schema = new StructType().add("features", new VectorUDT(), false)
        .add("label", new VectorUDT(), false).add("w", DataTypes.DoubleType, false);
    Dataset<Row> wdf = MlFixtures.spark().createDataFrame(weighted, schema).coalesce(1);
    Dataset<Row> cdf = MlFixtures.spark().createDataFrame(copies, schema).coalesce(1);
    // A content split: a row and its copies hash alike ({features..., labels...}), so both
    // runs validate on the same rows, and the weighted pooled validation RMSE
    // sqrt(sum_i w_i sum_k (y - yhat)^2 / (3 sum_i w_i)) is the copies' plain one.
    MultilayerPerceptronRegressionModel m = estimator().setNumPartitions(1)
        .setValidationFraction(0.25).setSplitSeed(4).setWeightCol("w").fit(wdf);
    MultilayerPerceptronRegressionModel c = estimator().setNumPartitions(1)
        .setValidationFraction(0.25).setSplitSeed(4).fit(cdf);
    // Not bit for bit: a row of weight k adds k times its gradient once, its copies add it k
    // times, and the moments sum other terms; rounding (~1e-16) that 15 steps keep below 1e-9.
    double worst = 0;
    double[] a = c.weights();
    double[] b = m.weights();
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), 1e-3));
    }
    assertTrue(worst < 1e-9, "weights of integer weights vs repeated rows differ by " + worst
        + " (relative), expected < 1e-9");
    for (int k = 0; k < 3; k++) {
      assertRelClose(c.scaling().labelMeans()[k], m.scaling().labelMeans()[k], 1e-12,
          "weighted label mean of " + Y[k]);
      assertRelClose(c.scaling().labelScales()[k], m.scaling().labelScales()[k], 1e-12,
          "weighted label scale of " + Y[k]);
      assertRelClose(c.summary().training().outputs().get(k).rmse(),
          m.summary().training().outputs().get(k).rmse(), 1e-9, "training RMSE of " + Y[k]);
    }
    int t = c.summary().history().size();
    assertEquals(t, m.summary().history().size(), "iterations");
    for (int i = 0; i < t; i++) {
      assertRelClose(c.summary().history().get(i).validationRmse(),
          m.summary().history().get(i).validationRmse(), 1e-9, "validation RMSE at " + i);
    }
    // Per-output metrics weighted as RegressionEvaluator.setWeightCol (its R2 denominator too),
    // and their mean.
    Dataset<Row> scored = withElements(m.transform(wdf), "prediction")
        .withColumn("_y", org.apache.spark.ml.functions.vector_to_array(functions.col("label"),
            "float64"));
    for (int k = 0; k < 3; k++) {
      scored = scored.withColumn("y" + k, functions.col("_y").getItem(k));
    }
    RegressionMetrics ours = m.setWeightCol("w").evaluate(wdf);
    double meanR2 = 0;
    for (int k = 0; k < 3; k++) {
      RegressionMetrics e = ours.outputs().get(k);
      for (String metric : new String[] {"rmse", "mae", "r2"}) {
        double spark = new RegressionEvaluator().setMetricName(metric).setWeightCol("w")
            .setLabelCol("y" + k).setPredictionCol("p" + k).evaluate(scored);
        double o = metric.equals("rmse") ? e.rmse() : metric.equals("mae") ? e.mae() : e.r2();
        assertRelClose(spark, o, 1e-9, "weighted " + metric + " of " + Y[k]);
        if (metric.equals("r2")) {
          meanR2 += spark / 3;
        }
      }
    }
    assertRelClose(meanR2, ours.r2(), 1e-9, "mean of the weighted R2s");
    double plain = new RegressionEvaluator().setMetricName("r2").setLabelCol("y0")
        .setPredictionCol("p0").evaluate(scored);
    assertTrue(Math.abs(plain - ours.outputs().get(0).r2()) > 1e-6, "the weighted R2 of y1 ("
        + ours.outputs().get(0).r2() + ") differs from the unweighted (" + plain + ")");
  }

  /** A model.json as version 0.1.0 wrote it: one output, scalar labelMean and labelScale. */
  static final String OLD_MODEL = """
      {"format": "spark-backprop-model", "formatVersion": 1,
       "layers": [2, 2, 1], "activations": ["tanh", "identity"],
       "weights": [[[0.1, -0.2], [0.5, -0.3], [0.25, 0.75]], [[0.05], [1.5], [-2.0]]],
       "features": ["a", "b"], "label": "y",
       "scaling": {"featureMean": [1.0, 2.0], "featureScale": [2.0, 4.0],
                   "labelMean": 10.0, "labelScale": 3.0}}
      """;

  @Test
  void anOldSingleOutputModelLoadsAndPredictsUnchanged() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("old"));
    Files.writeString(dir.resolve("model.json"), OLD_MODEL);
    MultilayerPerceptronRegressionModel m = MultilayerPerceptronRegressionModel.load(
        dir.toString());
    assertEquals(1, m.numOutputs(), "outputs");
    assertEquals(List.of("y"), m.outputNames(), "the one output is the label");
    // By hand: x = (3, 6) standardizes to (1, 1); hidden tanh(0.1 + 0.5 + 0.25),
    // tanh(-0.2 - 0.3 + 0.75); output 0.05 + 1.5 h1 - 2 h2; prediction 10 + 3 * output.
    double expected = 10 + 3 * (0.05 + 1.5 * Math.tanh(0.85) - 2 * Math.tanh(0.25));
    assertRelClose(expected, m.predict(Vectors.dense(3, 6)), 1e-12, "predict");
    Dataset<Row> df = MlFixtures.spark().createDataFrame(List.of(RowFactory.create(
        Vectors.dense(3, 6))), new StructType().add("features", new VectorUDT(), false));
    Row r = m.transform(df).first();
    assertEquals(DataTypes.DoubleType, m.transform(df).schema().apply("prediction").dataType(),
        "one output: a double prediction column");
    assertRelClose(expected, r.getDouble(1), 1e-12, "transform");
    String again = m.toSaved().toJsonString();
    assertTrue(!again.contains("\"outputs\"") && !again.contains("labelMeans"), "a single-output"
        + " model.json keeps the old fields only: " + again);
  }
}
