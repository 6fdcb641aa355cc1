package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.errors.DataException;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Params that are each valid but do not go together are refused by {@code fit}, before any data
 * is read, with an IllegalArgumentException naming them.
 */
class FitRefusalTest {
  private static Dataset<Row> data;

  @BeforeAll
  static void data() {
    data = MlFixtures.diabetesAssembled().withColumn("isVal", functions.col("age").gt(50));
  }

  private static void assertRefused(MultilayerPerceptronRegressor est, String... names) {
    Set<Integer> before = MlFixtures.persisted();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> est.fit(data),
        "fit did not refuse " + String.join(" with ", names));
    for (String n : names) {
      assertTrue(e.getMessage().contains(n), "expected a message naming " + n + ", got: "
          + e.getMessage());
    }
    MlFixtures.assertNothingNewPersisted(before, "by a refused fit");
  }

  @Test
  void lbfgsWithAStepSize() {
    assertRefused(MlFixtures.small().setSolver("l-bfgs"), "stepSize", "l-bfgs");
  }

  @Test
  void lbfgsWithACheckpointDirectory() {
    assertRefused(new MultilayerPerceptronRegressor().setLayers(new int[] {10, 4, 1})
        .setSolver("lbfgs").setCheckpointDir("/tmp/never-written"), "checkpointDir", "l-bfgs");
  }

  @Test
  void lbfgsWithClippingOrAMiniBatch() {
    assertRefused(new MultilayerPerceptronRegressor().setLayers(new int[] {10, 4, 1})
        .setSolver("l-bfgs").setClipNorm(1).setMiniBatchFraction(0.5), "clipNorm",
        "miniBatchFraction", "l-bfgs");
  }

  @Test
  void momentumWithAdam() {
    assertRefused(MlFixtures.small().setSolver("adam").setMomentum(0.9), "momentum", "adam");
  }

  @Test
  void nesterovWithoutMomentum() {
    assertRefused(MlFixtures.small().setNesterov(true), "nesterov", "momentum");
  }

  @Test
  void aMiniBatchWithFullBatchGradientDescent() {
    assertRefused(MlFixtures.small().setMiniBatchFraction(0.5), "miniBatchFraction", "gd");
  }

  @Test
  void patienceWithoutValidation() {
    assertRefused(MlFixtures.small().setPatience(3), "patience", "validation");
  }

  @Test
  void validationFractionWithAnIndicatorColumn() {
    assertRefused(MlFixtures.small().setValidationFraction(0.2).setValidationIndicatorCol("isVal"),
        "validationFraction", "validationIndicatorCol");
  }

  @Test
  void resumeWithoutACheckpointDirectory() {
    assertRefused(MlFixtures.small().setResume(true), "resume", "checkpointDir");
  }

  @Test
  void layersNotSet() {
    assertRefused(new MultilayerPerceptronRegressor().setMaxIter(3), "layers");
  }

  @Test
  void layersEndingInTwoWithANumericLabel() {
    // Two outputs need a label of two values a row (issue 19): a numeric label is refused in one
    // line naming it, before anything is cached.
    Set<Integer> before = MlFixtures.persisted();
    DataException e = assertThrows(DataException.class, () -> MlFixtures.small()
        .setLayers(new int[] {10, 4, 2}).fit(data));
    assertTrue(e.getMessage().contains("'label'") && e.getMessage().contains("2 outputs"),
        "expected a message naming the label and the 2 outputs, got: " + e.getMessage());
    MlFixtures.assertNothingNewPersisted(before, "by a refused fit");
  }

  @Test
  void oneActivationPerHiddenLayerButTheWrongNumber() {
    assertRefused(MlFixtures.small().setHiddenActivation("tanh,relu"), "hiddenActivation",
        "layers");
  }

  @Test
  void initialWeightsOfTheWrongLength() {
    assertRefused(MlFixtures.small().setInitialWeights(
        org.apache.spark.ml.linalg.Vectors.dense(1.0, 2.0)), "initialWeights", "97");
  }

  @Test
  void layersWhoseInputIsNotTheVectorSize() {
    Set<Integer> before = MlFixtures.persisted();
    io.sparkbackprop.errors.DataException e = assertThrows(
        io.sparkbackprop.errors.DataException.class,
        () -> MlFixtures.small().setLayers(new int[] {9, 4, 1}).fit(data));
    assertTrue(e.getMessage().contains("10") && e.getMessage().contains("9"),
        "expected a message naming the vector size 10 and layers[0] 9, got: " + e.getMessage());
    MlFixtures.assertNothingNewPersisted(before, "by a refused fit");
  }
}
