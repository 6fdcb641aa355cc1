package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.errors.DataException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * The estimator and the model with featuresCol, labelCol, validationIndicatorCol and
 * predictionCol holding dots, spaces and backticks: the same weights, predictions and metrics as
 * under plain names.
 */
class ColumnNamesApiTest {
  private static final String FEATURES = "feat.vec`1";
  private static final String LABEL = "target y.value";
  private static final String INDICATOR = "is.val idation";
  private static final String PREDICTION = "pred.`x` y";

  /** Diabetes with a validation indicator, and features and label copied under odd names. */
  private static Dataset<Row> table() {
    Dataset<Row> d = MlFixtures.diabetesAssembled()
        .withColumn("isVal", functions.expr("pmod(hash(bmi, s1), 4) = 0"));
    return d.withColumn(FEATURES, d.col("features")).withColumn(LABEL, d.col("label"))
        .withColumn(INDICATOR, d.col("isVal"));
  }

  private static MultilayerPerceptronRegressor estimator() {
    return MlFixtures.small().setSeed(3);
  }

  @Test
  void oddNamesFitTransformAndEvaluateAsPlainOnes() {
    Dataset<Row> t = table();
    MultilayerPerceptronRegressionModel plain = estimator().setValidationIndicatorCol("isVal")
        .fit(t);
    MultilayerPerceptronRegressionModel odd = (MultilayerPerceptronRegressionModel) estimator()
        .setValidationIndicatorCol(INDICATOR).setFeaturesCol(FEATURES).setLabelCol(LABEL)
        .setPredictionCol(PREDICTION).fit(t);
    assertArrayEquals(plain.weights(), odd.weights(), "odd names trained other weights");
    assertEquals(plain.summary().validation().rows(), odd.summary().validation().rows());

    Dataset<Row> out = odd.transform(t);
    assertEquals(PREDICTION, out.columns()[out.columns().length - 1]);
    double[] want = MlFixtures.column(plain.transform(t), "prediction");
    List<Row> got = out.select(functions.col("`pred.``x`` y`")).collectAsList();
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got.get(i).getDouble(0), "prediction of row " + i);
    }
    RegressionMetrics a = plain.evaluate(t);
    RegressionMetrics b = odd.evaluate(t);
    assertEquals(a.rmse(), b.rmse());
    assertEquals(a.rows(), b.rows());
    assertArrayEquals(plain.countInvalid(t), odd.countInvalid(t));
  }

  @Test
  void aMissingOddLabelListsTheColumnsAndTheCloseOne() {
    DataException e = assertThrows(DataException.class, () -> estimator()
        .setLabelCol("target_y_value").fit(table()));
    assertEquals(DataException.Kind.NO_COLUMN, e.kind());
    assertTrue(e.getMessage().startsWith("no label column 'target_y_value' (columns: age, sex,"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("'feat.vec`1', 'target y.value', 'is.val idation');"
        + " did you mean 'target y.value'?"), e.getMessage());
  }

  @Test
  void aPredictionColumnThatDiffersOnlyInCaseIsTaken() {
    MultilayerPerceptronRegressionModel m = estimator().fit(table());
    m.setPredictionCol("LABEL");
    DataException e = assertThrows(DataException.class, () -> m.transform(table()));
    assertTrue(e.getMessage().contains("already has a column 'LABEL'"), e.getMessage());
    assertTrue(Arrays.asList(table().columns()).contains("label"));
  }
}
