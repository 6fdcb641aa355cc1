package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertRelClose;
import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.errors.DataException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Row weights (weightCol) through the estimator: integer weights against repeated rows, weight 0
 * against the row removed, uniform weights against none, for gd, l-bfgs and local-adam; weighted
 * standardization against a Spark SQL computation; weighted metrics against Spark's
 * {@code RegressionEvaluator.setWeightCol}; bad weights refused in one line; CrossValidator.
 */
class RowWeightsTest {
  private static final StructType SCHEMA = new StructType(new StructField[] {
      new StructField("features", new VectorUDT(), false, Metadata.empty()),
      new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
      new StructField("w", DataTypes.DoubleType, true, Metadata.empty())});

  /** 60 rows of 3 features, y a smooth function of them plus noise, weights 0..3 (seeded). */
  private static List<Object[]> rows() {
    SplittableRandom rnd = new SplittableRandom(11);
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      double a = rnd.nextDouble(-2, 2);
      double b = rnd.nextDouble(0, 5);
      double c = rnd.nextDouble(-1, 1);
      double y = Math.sin(a) + 0.3 * b * b - 2 * c + 0.1 * rnd.nextGaussian() + 10;
      out.add(new Object[] {new double[] {a, b, c}, y, (double) rnd.nextInt(4)});
    }
    return out;
  }

  /** The rows as one partition, in order; weight w as given (null: the rows' own). */
  private static Dataset<Row> df(List<Object[]> rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(RowFactory.create(Vectors.dense((double[]) r[0]), r[1], r[2]));
    }
    return MlFixtures.spark().createDataFrame(out, SCHEMA).coalesce(1);
  }

  /** Each row repeated (its weight) times, in order, weights then 1. */
  private static List<Object[]> repeated(List<Object[]> rows) {
    List<Object[]> out = new ArrayList<>();
    for (Object[] r : rows) {
      for (int k = 0; k < (double) r[2]; k++) {
        out.add(new Object[] {r[0], r[1], 1.0});
      }
    }
    return out;
  }

  private static List<Object[]> withWeight(List<Object[]> rows, Double w) {
    List<Object[]> out = new ArrayList<>();
    for (Object[] r : rows) {
      out.add(new Object[] {r[0], r[1], w});
    }
    return out;
  }

  private static MultilayerPerceptronRegressor est(String solver) {
    MultilayerPerceptronRegressor e = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {3, 5, 1}).setHiddenActivation("tanh").setSolver(solver)
        .setMaxIter(25).setSeed(3).setStandardizeLabel(true).setNumPartitions(1);
    if (solver.equals("gd")) {
      e.setStepSize(0.1);
    }
    if (solver.startsWith("local")) {
      // One mini-batch of every row per round: its weighted mean gradient is the mean over the
      // repeated rows, so the two runs take the same steps (to rounding).
      // regParam set: its default for the local solvers is 5 / (training rows), counted in rows.
      e.setBatchSize(10_000).setStepSize(0.01).setTol(0).setRegParam(1e-3);
    }
    return e;
  }

  private static double maxRelDiff(double[] a, double[] b) {
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    return diff / scale;
  }

  @Test
  void integerWeightsEqualRepeatedRows() {
    List<Object[]> rows = rows();
    for (String solver : List.of("gd", "l-bfgs", "local-adam")) {
      MultilayerPerceptronRegressionModel weighted = est(solver).setWeightCol("w").fit(df(rows));
      MultilayerPerceptronRegressionModel copies = est(solver).fit(df(repeated(rows)));
      // Not bit for bit: a row of weight k adds k * (its gradient) once, its k copies add it k
      // times, and the standardization's sums run over other terms; each differs by rounding
      // (~1e-16 relative) that 25 steps do not amplify past 1e-9 (l-bfgs's line search may
      // branch on a near-tie: its tolerance is the same and held here).
      double rel = maxRelDiff(copies.weights(), weighted.weights());
      assertTrue(rel < 1e-9, solver + ": weights of integer weights vs repeated rows differ by "
          + rel + " (relative)");
      assertRelClose(copies.summary().training().rmse(), weighted.summary().training().rmse(),
          1e-9, solver + ": training RMSE");
      Scaling a = copies.scaling();
      Scaling b = weighted.scaling();
      assertRelClose(a.labelMean(), b.labelMean(), 1e-13, solver + ": label mean");
      assertRelClose(a.labelScale(), b.labelScale(), 1e-13, solver + ": label scale");
    }
  }

  @Test
  void weightZeroEqualsTheRowRemoved() {
    List<Object[]> rows = new ArrayList<>();
    List<Object[]> kept = new ArrayList<>();
    for (Object[] r : rows()) {
      double w = (double) r[2] == 0 ? 0.0 : 1.0;
      rows.add(new Object[] {r[0], r[1], w});
      if (w > 0) {
        kept.add(new Object[] {r[0], r[1], w});
      }
    }
    assertTrue(kept.size() < rows.size() - 5, "some rows have weight 0");
    for (String solver : List.of("gd", "local-adam", "gd float", "local-adam float")) {
      String name = solver.split(" ")[0];
      String precision = solver.endsWith("float") ? "float" : "double";
      MultilayerPerceptronRegressionModel zero = est(name).setPrecision(precision)
          .setWeightCol("w").fit(df(rows));
      MultilayerPerceptronRegressionModel removed = est(name).setPrecision(precision)
          .fit(df(kept));
      // Bit for bit: a weight-0 row never reaches the blocks or the moments, and weight 1
      // multiplies exactly.
      assertSameDoubles(removed.weights(), zero.weights(), solver + ": weights");
      assertEquals(kept.size(), zero.summary().trainingRows(), solver + ": training rows");
    }
  }

  @Test
  void uniformWeightsEqualNoWeights() {
    List<Object[]> rows = withWeight(rows(), 3.0);
    // sgd samples the same rows with and without weights (its sample depends on the seed alone)
    for (String solver : List.of("gd", "sgd", "adam", "l-bfgs", "local-adam", "local-sgd")) {
      MultilayerPerceptronRegressionModel three = est(solver).setWeightCol("w").fit(df(rows));
      MultilayerPerceptronRegressionModel none = est(solver).fit(df(rows));
      // sum 3 g_i / (3 n) against sum g_i / n: one rounding of 3 g_i per term.
      double rel = maxRelDiff(none.weights(), three.weights());
      assertTrue(rel < 1e-10, solver + ": weights differ by " + rel + " (relative)");
    }
  }

  @Test
  void weightedStandardizationEqualsSparkSql() {
    Dataset<Row> data = df(rows());
    MultilayerPerceptronRegressionModel m = est("gd").setMaxIter(1).setWeightCol("w").fit(data);
    Dataset<Row> flat = data.withColumn("x",
        org.apache.spark.ml.functions.vector_to_array(data.col("features"), "float64"));
    Scaling s = m.scaling();
    for (int j = 0; j <= 3; j++) {
      String v = j < 3 ? "x[" + j + "]" : "label";
      double mean = flat.selectExpr("sum(w * " + v + ") / sum(w)").first().getDouble(0);
      double sd = Math.sqrt(flat.selectExpr("sum(w * (" + v + " - " + mean + ") * (" + v + " - "
          + mean + ")) / sum(w)").first().getDouble(0));
      assertRelClose(mean, j < 3 ? s.mean()[j] : s.labelMean(), 1e-12, "weighted mean of " + v);
      assertRelClose(sd, j < 3 ? s.scale()[j] : s.labelScale(), 1e-12, "weighted sd of " + v);
    }
  }

  @Test
  void weightedMetricsEqualSparksEvaluator() {
    SplittableRandom rnd = new SplittableRandom(5);
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r : rows()) {
      // fractional weights, some 0
      rows.add(new Object[] {r[0], r[1], rnd.nextInt(5) == 0 ? 0.0 : rnd.nextDouble(0.1, 4)});
    }
    Dataset<Row> data = df(rows).repartition(3);
    MultilayerPerceptronRegressionModel m = est("gd").setWeightCol("w").fit(data);
    RegressionMetrics ours = m.evaluate(data);
    Dataset<Row> scored = m.transform(data);
    for (String metric : List.of("rmse", "mae", "r2")) {
      double spark = new RegressionEvaluator().setMetricName(metric).setWeightCol("w")
          .evaluate(scored);
      double value = metric.equals("rmse") ? ours.rmse() : metric.equals("mae") ? ours.mae()
          : ours.r2();
      assertRelClose(spark, value, 1e-9, "weighted " + metric + " vs RegressionEvaluator");
    }
    // The summary's training metrics are weighted the same way (zero-weight rows add nothing).
    double rmse = new RegressionEvaluator().setMetricName("rmse").setWeightCol("w")
        .evaluate(scored);
    assertRelClose(rmse, m.summary().training().rmse(), 1e-9, "summary training rmse");
    // Unweighted, the same model's evaluate is the plain one.
    double plain = new RegressionEvaluator().setMetricName("rmse").evaluate(scored);
    assertRelClose(plain, m.setWeightCol(null).evaluate(data).rmse(), 1e-9, "unweighted rmse");
  }

  @Test
  void validationMetricsAreWeighted() {
    Dataset<Row> data = df(rows()).withColumn("val",
        org.apache.spark.sql.functions.monotonically_increasing_id().mod(4).equalTo(0)).cache();
    try {
      MultilayerPerceptronRegressionModel m = est("gd").setWeightCol("w")
          .setValidationIndicatorCol("val").setPatience(5).fit(data);
      Dataset<Row> scored = m.transform(data.filter("val"));
      double rmse = new RegressionEvaluator().setMetricName("rmse").setWeightCol("w")
          .evaluate(scored);
      assertRelClose(rmse, m.summary().validation().rmse(), 1e-9,
          "validation rmse vs RegressionEvaluator with weightCol");
      double plain = new RegressionEvaluator().setMetricName("rmse").evaluate(scored);
      assertTrue(Math.abs(plain - rmse) > 1e-6 * rmse, "the weights change the validation rmse");
    } finally {
      data.unpersist();
    }
  }

  @Test
  void aResumeWithOtherWeightsIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    List<Object[]> rows = rows();
    Dataset<Row> data = df(rows).withColumn("w2", org.apache.spark.sql.functions.col("w")
        .plus(1.0));
    String ck = tmp.resolve("ck").toString();
    est("gd").setMaxIter(4).setCheckpointInterval(2).setCheckpointDir(ck).setWeightCol("w")
        .fit(data);
    // the same run resumes
    MultilayerPerceptronRegressionModel same = est("gd").setMaxIter(6).setCheckpointInterval(2)
        .setCheckpointDir(ck).setResume(true).setWeightCol("w").fit(data);
    assertEquals(6, same.summary().totalIterations(), "iterations of the resumed run");
    // another weight column is another run
    RuntimeException other = assertThrows(RuntimeException.class, () -> est("gd").setMaxIter(6)
        .setCheckpointInterval(2).setCheckpointDir(ck).setResume(true).setWeightCol("w2")
        .fit(data));
    assertTrue(other.getMessage().contains("weightCol"), other.getMessage());
    // the same column name with other weights: the data's hash differs
    List<Object[]> changed = new ArrayList<>();
    for (Object[] r : rows) {
      changed.add(new Object[] {r[0], r[1], (double) r[2] == 1.0 ? 2.0 : r[2]});
    }
    RuntimeException hash = assertThrows(RuntimeException.class, () -> est("gd").setMaxIter(6)
        .setCheckpointInterval(2).setCheckpointDir(ck).setResume(true).setWeightCol("w")
        .fit(df(changed)));
    assertTrue(hash.getMessage().contains("data="), hash.getMessage());
  }

  private static void assertRefused(List<Object[]> rows, String... words) {
    DataException e = assertThrows(DataException.class,
        () -> est("gd").setMaxIter(2).setWeightCol("w").fit(df(rows)));
    String msg = e.getMessage();
    assertTrue(!msg.contains("\n"), "one line: " + msg);
    for (String w : words) {
      assertTrue(msg.contains(w), "expected '" + w + "' in: " + msg);
    }
  }

  @Test
  void badWeightsAreRefusedNamingTheColumnAndRow() {
    for (Double bad : new Double[] {-1.0, Double.NaN, null, Double.POSITIVE_INFINITY}) {
      List<Object[]> rows = withWeight(rows(), 1.0);
      rows.get(7)[2] = bad;
      assertRefused(rows, "1 of 60 rows", "w: 1", "row 7", "w = " + bad);
      // skipped with handleInvalid=skip: the same as the row removed
      MultilayerPerceptronRegressionModel skipped = est("gd").setWeightCol("w")
          .setHandleInvalid("skip").fit(df(rows));
      assertEquals(59, skipped.summary().trainingRows(), "rows after skipping weight " + bad);
      assertEquals(1, skipped.summary().invalidRows(), "invalid rows for weight " + bad);
    }
    assertRefused(withWeight(rows(), 0.0), "every training row's weight in 'w' is 0");
  }

  @Test
  void evaluateRefusesANegativeWeightNamingTheRow() {
    List<Object[]> rows = withWeight(rows(), 1.0);
    MultilayerPerceptronRegressionModel m = est("gd").setMaxIter(2).setWeightCol("w")
        .fit(df(rows));
    rows.get(4)[2] = -2.0;
    DataException e = assertThrows(DataException.class, () -> m.evaluate(df(rows)));
    assertTrue(e.getMessage().contains("w: 1") && e.getMessage().contains("row 4")
        && e.getMessage().contains("w = -2.0"), e.getMessage());
  }

  @Test
  void crossValidatorWithAWeightColumn() {
    Dataset<Row> data = df(rows()).repartition(2);
    MultilayerPerceptronRegressor e = est("gd").setWeightCol("w");
    ParamMap[] grid = new ParamGridBuilder().addGrid(e.regParam(), new double[] {0.0, 0.01})
        .build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(e).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator().setWeightCol("w")).setNumFolds(2).setSeed(1)
        .fit(data);
    assertEquals(2, cv.avgMetrics().length, "one metric per grid point");
    for (double v : cv.avgMetrics()) {
      assertTrue(Double.isFinite(v) && v > 0, "a weighted rmse per grid point, got " + v);
    }
    MultilayerPerceptronRegressionModel best = (MultilayerPerceptronRegressionModel) cv.bestModel();
    assertEquals("w", best.getWeightCol(), "the best model's weightCol");
  }
}
