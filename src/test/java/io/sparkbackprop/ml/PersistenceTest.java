package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static io.sparkbackprop.ml.MlFixtures.column;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark ML persistence: what is saved and loaded predicts exactly what the unsaved object
 * predicted (the weights and standardization are written as JSON numbers that read back to the
 * same doubles, and the loaded model runs the same arithmetic on the same rows).
 */
class PersistenceTest {
  @TempDir
  Path tmp;

  private static Dataset<Row> raw;
  private static Dataset<Row> assembled;
  private static MultilayerPerceptronRegressionModel model;
  private static double[] predicted;

  @BeforeAll
  static void fit() {
    raw = MlFixtures.diabetes();
    assembled = MlFixtures.diabetesAssembled();
    model = MlFixtures.small().setValidationFraction(0.2).fit(assembled);
    predicted = column(model.transform(assembled), "prediction");
  }

  private String dir(String name) {
    return tmp.resolve(name).toString();
  }

  @Test
  void bareModelSavesAndLoads() throws IOException {
    model.write().save(dir("model"));
    MultilayerPerceptronRegressionModel loaded = MultilayerPerceptronRegressionModel.load(
        dir("model"));
    assertEquals(model.uid(), loaded.uid(), "uid");
    assertSameDoubles(model.weights(), loaded.weights(), "weights after load");
    assertSameDoubles(predicted, column(loaded.transform(assembled), "prediction"),
        "predictions of the loaded model");
    assertEquals(model.featureNames(), loaded.featureNames(), "feature names");
    for (Param<?> p : model.params()) {
      // A loaded model sets its activations and label from model.json even where the saved one
      // had them at their defaults: same values, so only "set stays set" is asked here.
      if (model.isSet(p)) {
        assertTrue(loaded.isSet(loaded.getParam(p.name())), p.name() + " was set, and is not"
            + " after load");
      }
      assertParamValue(model, loaded, p.name());
    }
    // Spark ML's layout: metadata/part-00000 naming the class.
    String meta = Files.readString(tmp.resolve("model/metadata/part-00000"));
    assertTrue(meta.contains("\"class\":\"" + MultilayerPerceptronRegressionModel.class.getName()
        + "\""), "metadata names the class: " + meta);
  }

  @Test
  void savingOverAModelNeedsOverwrite() throws IOException {
    model.write().save(dir("twice"));
    IOException e = assertThrows(IOException.class, () -> model.write().save(dir("twice")));
    assertTrue(e.getMessage().contains("overwrite"), "the message says how to replace it: "
        + e.getMessage());
    model.write().overwrite().save(dir("twice"));
    assertSameDoubles(predicted, column(MultilayerPerceptronRegressionModel.load(dir("twice"))
        .transform(assembled), "prediction"), "predictions after an overwrite");
  }

  @Test
  void pipelineSavesAndLoads() throws IOException {
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        MlFixtures.diabetesAssembler(), MlFixtures.small()});
    PipelineModel fitted = pipeline.fit(raw);
    double[] before = column(fitted.transform(raw), "prediction");
    fitted.write().overwrite().save(dir("pipeline"));
    PipelineModel loaded = PipelineModel.load(dir("pipeline"));
    assertEquals(2, loaded.stages().length, "stages");
    assertInstanceOf(MultilayerPerceptronRegressionModel.class, loaded.stages()[1],
        "the second stage");
    assertSameDoubles(before, column(loaded.transform(raw), "prediction"),
        "predictions of the loaded pipeline");
    // The unsaved pipeline's model is the one fitted from the same settings as `model`'s, minus
    // validation: it must differ from `model`, or this comparison would prove nothing new.
    assertFalse(java.util.Arrays.equals(before, predicted),
        "the pipeline's predictions equal another model's");

    pipeline.write().overwrite().save(dir("unfitted"));
    Pipeline again = Pipeline.load(dir("unfitted"));
    MultilayerPerceptronRegressor est = (MultilayerPerceptronRegressor) again.getStages()[1];
    assertArrayEquals(new int[] {10, 8, 1}, est.getLayers(), "layers of the loaded pipeline");
    assertSameDoubles(before, column(again.fit(raw).transform(raw), "prediction"),
        "predictions of a model fitted by the loaded pipeline");
  }

  @Test
  void crossValidatorModelSavesAndLoads() throws IOException {
    MultilayerPerceptronRegressor mlp = MlFixtures.small().setMaxIter(10);
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(mlp.layers(), scala.jdk.javaapi.CollectionConverters.asScala(
            java.util.List.of(new int[] {10, 4, 1}, new int[] {10, 8, 1})))
        .addGrid(mlp.regParam(), new double[] {0.0, 0.01})
        .build();
    assertEquals(4, grid.length, "grid points");
    CrossValidator cv = new CrossValidator().setEstimator(mlp).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator().setMetricName("rmse")).setNumFolds(2).setSeed(7);
    CrossValidatorModel fitted = cv.fit(assembled);
    assertEquals(4, fitted.avgMetrics().length, "a metric per grid point");
    double[] before = column(fitted.transform(assembled), "prediction");
    fitted.write().overwrite().save(dir("cv"));
    CrossValidatorModel loaded = CrossValidatorModel.load(dir("cv"));
    assertArrayEquals(fitted.avgMetrics(), loaded.avgMetrics(), "avgMetrics after load");
    MultilayerPerceptronRegressionModel best = (MultilayerPerceptronRegressionModel)
        fitted.bestModel();
    MultilayerPerceptronRegressionModel bestLoaded = (MultilayerPerceptronRegressionModel)
        loaded.bestModel();
    assertArrayEquals(best.getLayers(), bestLoaded.getLayers(), "layers of the best model");
    assertEquals(best.getRegParam(), bestLoaded.getRegParam(), "regParam of the best model");
    assertSameDoubles(before, column(loaded.transform(assembled), "prediction"),
        "predictions of the loaded CrossValidatorModel");
    // The grid's layers survive as int arrays in the saved estimatorParamMaps.
    ParamMap[] maps = loaded.getEstimatorParamMaps();
    assertEquals(4, maps.length, "saved grid points");
    MultilayerPerceptronRegressor e = (MultilayerPerceptronRegressor) loaded.getEstimator();
    assertArrayEquals(new int[] {10, 4, 1}, (int[]) maps[0].apply(e.layers()),
        "first grid point's layers after load");
  }

  @Test
  void estimatorSavesAndLoadsWithItsParams() throws IOException {
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 6, 3, 1}).setSolver("adam").setMaxIter(13).setStepSize(0.004)
        .setHiddenActivation("tanh,sigmoid").setMiniBatchFraction(0.5).setSeed(-3L)
        .setValidationFraction(0.3).setStorageLevel("MEMORY_ONLY").setLabelCol("y")
        .setInitialWeights(org.apache.spark.ml.linalg.Vectors.dense(1.0, -2.5, 0.125));
    est.write().save(dir("estimator"));
    MultilayerPerceptronRegressor loaded = MultilayerPerceptronRegressor.load(dir("estimator"));
    assertEquals(est.uid(), loaded.uid(), "uid");
    for (Param<?> p : est.params()) {
      Param<?> q = loaded.getParam(p.name());
      assertEquals(est.isSet(p), loaded.isSet(q), "isSet of " + p.name());
      assertEquals(est.hasDefault(p), loaded.hasDefault(q), "hasDefault of " + p.name());
      assertParamValue(est, loaded, p.name());
    }
    assertEquals(0.004, loaded.getStepSize(), "stepSize");
    assertEquals("tanh,sigmoid", loaded.getHiddenActivation(), "hiddenActivation");
    assertFalse(loaded.isSet(loaded.blockSize()), "blockSize was not set, and is not after load");
  }

  @Test
  void loadingWhatIsNotThereFailsNamingThePath() {
    String missing = dir("nothing");
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> MultilayerPerceptronRegressionModel.load(missing));
    assertTrue(e.getMessage().contains("nothing"), "the message names the path: "
        + e.getMessage());
  }

  /** The value of Param {@code name} in both, or absent in both. */
  static void assertParamValue(org.apache.spark.ml.param.Params a,
      org.apache.spark.ml.param.Params b, String name) {
    Param<?> p = a.getParam(name);
    Param<?> q = b.getParam(name);
    assertEquals(a.isDefined(p), b.isDefined(q), "isDefined of " + name);
    if (!a.isDefined(p)) {
      return;
    }
    Object x = a.getOrDefault(p);
    Object y = b.getOrDefault(q);
    if (x instanceof int[] xi) {
      assertArrayEquals(xi, (int[]) y, name);
    } else {
      assertEquals(x, y, name);
      assertNotEquals(null, y, name);
    }
  }
}
