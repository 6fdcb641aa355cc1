package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertRelClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.spark.ContentSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The summary's training metrics and {@code evaluate} agree with Spark's own
 * {@link RegressionEvaluator} on {@code transform}'s output, over several partitions. The three
 * sum in different orders and blocks (cached standardized blocks, raw rows in blocks of the
 * model's block size, Spark's per-row aggregation), so they agree to rounding, not bit for bit.
 */
class MetricsAgreementTest {
  private static final double REL = 1e-9;

  private static Dataset<Row> data;
  private static MultilayerPerceptronRegressionModel model;
  private static Dataset<Row> scored;

  @BeforeAll
  static void fit() {
    // Cached so that the three measurements see the same rows in the same partitions.
    data = MlFixtures.diabetesAssembled().repartition(3).cache();
    assertEquals(3, data.rdd().getNumPartitions(), "partitions of the test data");
    model = MlFixtures.small().setValidationFraction(0.25).fit(data);
    scored = model.transform(data);
  }

  @AfterAll
  static void release() {
    data.unpersist(true);
  }

  private static double spark(String metric, Dataset<Row> df) {
    return new RegressionEvaluator().setMetricName(metric).setLabelCol("label")
        .setPredictionCol("prediction").evaluate(df);
  }

  @Test
  void evaluateEqualsSparksEvaluatorOnTransform() {
    RegressionMetrics ours = model.evaluate(data);
    assertEquals(442, ours.rows(), "rows evaluated");
    assertEquals(0, ours.skippedRows(), "rows skipped");
    assertRelClose(spark("rmse", scored), ours.rmse(), REL, "evaluate rmse vs RegressionEvaluator");
    assertRelClose(spark("r2", scored), ours.r2(), REL, "evaluate r2 vs RegressionEvaluator");
    assertRelClose(spark("mae", scored), ours.mae(), REL, "evaluate mae vs RegressionEvaluator");
  }

  @Test
  void summaryMetricsEqualSparksEvaluatorOnEachSide() {
    TrainingSummary s = model.summary();
    assertEquals(442, s.trainingRows() + s.validationRows(), "training + validation rows");
    assertTrue(s.validationRows() > 60 && s.validationRows() < 160,
        "about a quarter of 442 rows held out, got " + s.validationRows());
    // The sides by the split's public rule: a row {features..., label} is a validation row when
    // ContentSplit says so; Spark's evaluator then measures each side of transform's output.
    ContentSplit split = new ContentSplit(model.getSplitSeed(), 0.25);
    List<Row> training = new ArrayList<>();
    List<Row> validation = new ArrayList<>();
    for (Row r : scored.select("features", "label", "prediction").collectAsList()) {
      double[] x = ((Vector) r.get(0)).toArray();
      double[] v = Arrays.copyOf(x, x.length + 1);
      v[x.length] = r.getDouble(1);
      (split.isValidation(v) ? validation : training).add(RowFactory.create(r.getDouble(1),
          r.getDouble(2)));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("prediction", DataTypes.DoubleType);
    Dataset<Row> t = MlFixtures.spark().createDataFrame(training, schema);
    Dataset<Row> v = MlFixtures.spark().createDataFrame(validation, schema);
    assertEquals(s.trainingRows(), training.size(), "training rows by the split's rule");
    assertEquals(s.training().rows(), training.size(), "rows of the training metrics");
    assertEquals(s.validation().rows(), validation.size(), "rows of the validation metrics");
    assertRelClose(spark("rmse", t), s.training().rmse(), REL, "training rmse");
    assertRelClose(spark("r2", t), s.training().r2(), REL, "training r2");
    assertRelClose(spark("mae", t), s.training().mae(), REL, "training mae");
    assertRelClose(spark("rmse", v), s.validation().rmse(), REL, "validation rmse");
    assertRelClose(spark("r2", v), s.validation().r2(), REL, "validation r2");
  }

  @Test
  void summaryOnAllRowsEqualsSparksEvaluator() {
    // Without validation the training metrics are over every row: the same rows Spark measures.
    MultilayerPerceptronRegressionModel all = MlFixtures.small().fit(data);
    Dataset<Row> out = all.transform(data);
    TrainingSummary s = all.summary();
    assertEquals(442, s.training().rows(), "training rows");
    assertRelClose(spark("rmse", out), s.training().rmse(), REL,
        "summary training rmse vs RegressionEvaluator");
    assertRelClose(spark("r2", out), s.training().r2(), REL,
        "summary training r2 vs RegressionEvaluator");
    assertRelClose(spark("mae", out), s.training().mae(), REL,
        "summary training mae vs RegressionEvaluator");
    RegressionMetrics e = all.evaluate(data);
    assertRelClose(s.training().rmse(), e.rmse(), REL, "evaluate rmse vs summary");
    assertRelClose(s.training().r2(), e.r2(), REL, "evaluate r2 vs summary");
  }

  @Test
  void evaluateWithSkipLeavesOutTheInvalidRowsAsSparkWouldWithoutThem() {
    Dataset<Row> holes = data.withColumn("label", functions.when(functions.col("age")
        .gt(65), functions.lit(Double.NaN)).otherwise(functions.col("label")));
    long bad = holes.filter(functions.isnan(functions.col("label"))).count();
    assertTrue(bad > 0 && bad < 100, "rows with a NaN label: " + bad);
    MultilayerPerceptronRegressionModel m = model.copy(new org.apache.spark.ml.param.ParamMap());
    m.set(m.handleInvalid(), "skip");
    RegressionMetrics e = m.evaluate(holes);
    assertEquals(bad, e.skippedRows(), "rows skipped");
    assertEquals(442 - bad, e.rows(), "rows evaluated");
    Dataset<Row> kept = m.transform(holes.filter(functions.not(functions.isnan(
        functions.col("label")))));
    assertRelClose(spark("rmse", kept), e.rmse(), REL, "rmse with skip vs Spark without them");
    assertRelClose(spark("r2", kept), e.r2(), REL, "r2 with skip vs Spark without them");
    m.set(m.handleInvalid(), "error");
    io.sparkbackprop.errors.DataException refused = org.junit.jupiter.api.Assertions.assertThrows(
        io.sparkbackprop.errors.DataException.class, () -> m.evaluate(holes));
    assertTrue(refused.getMessage().contains(bad + " of 442") && refused.getMessage()
        .contains("label: " + bad), "expected '" + bad + " of 442' and 'label: " + bad + "' in: "
        + refused.getMessage());
  }
}
