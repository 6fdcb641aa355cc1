package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * precision = float: blocks and kernel in single precision. Oracles: Spark's RegressionEvaluator
 * on both models' predictions, and the double mode's own figures.
 */
class FloatPrecisionTest {
  private static MultilayerPerceptronRegressor lbfgs(String precision) {
    return new MultilayerPerceptronRegressor().setLayers(new int[] {10, 8, 1}).setSolver("l-bfgs")
        .setMaxIter(60).setSeed(3).setPrecision(precision);
  }

  private static double rmse(MultilayerPerceptronRegressionModel m, Dataset<Row> df) {
    return new RegressionEvaluator().setMetricName("rmse").evaluate(m.transform(df));
  }

  @Test
  void floatTrainingFitsAsWellAsDoubleInHalfTheCache() {
    Dataset<Row> df = MlFixtures.diabetesAssembled();
    MultilayerPerceptronRegressionModel d = lbfgs("double").fit(df);
    MultilayerPerceptronRegressionModel f = lbfgs("float").fit(df);
    assertFalse(java.util.Arrays.equals(d.weights(), f.weights()),
        "float mode gave the double mode's weights bit for bit: did it run in float?");
    double rd = rmse(d, df);
    double rf = rmse(f, df);
    // 60 L-BFGS steps from the same start; float rounding moves the path a little, not the fit.
    assertEquals(rd, rf, 0.01 * rd, "training RMSE, double " + rd + ", float " + rf);
    long bd = d.summary().cachedBytes();
    long bf = f.summary().cachedBytes();
    assertTrue(bf <= 0.6 * bd, "cached bytes: float " + bf + ", double " + bd);
    assertEquals("\"float\"", f.summary().provenance().params().get("precision"),
        "the resolved Params in the provenance");
  }

  @Test
  void floatTrainingRepeatsBitForBit() {
    Dataset<Row> df = MlFixtures.diabetesAssembled();
    MultilayerPerceptronRegressor est = MlFixtures.small().setPrecision("float").setSeed(9);
    assertArrayEquals(est.fit(df).weights(), est.fit(df).weights(), 0.0,
        "two float fits with the same seed");
  }

  @Test
  void aFloatModelIsSavedAsAnyOther(@TempDir Path dir) throws Exception {
    Dataset<Row> df = MlFixtures.diabetesAssembled();
    MultilayerPerceptronRegressionModel f = MlFixtures.small().setPrecision("float").fit(df);
    String path = dir.resolve("m").toString();
    f.write().save(path);
    MultilayerPerceptronRegressionModel back = MultilayerPerceptronRegressionModel.load(path);
    assertArrayEquals(f.weights(), back.weights(), 0.0, "weights after save and load");
    MlFixtures.assertSameDoubles(MlFixtures.column(f.transform(df), "prediction"),
        MlFixtures.column(back.transform(df), "prediction"), "predictions after save and load");
    assertTrue(Files.readString(dir.resolve("m/model.json")).contains("\"weights\""),
        "model.json holds the weights");
  }

  @Test
  void anUnknownPrecisionIsRefusedAtSet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MultilayerPerceptronRegressor().setPrecision("half"));
    assertTrue(e.getMessage().contains("precision"), e.getMessage());
    assertEquals("float", new MultilayerPerceptronRegressor().setPrecision("FLOAT").getPrecision());
    assertEquals("double", new MultilayerPerceptronRegressor().getPrecision());
  }

  /**
   * Float blocks through the other paths that read cached blocks: mini-batch sampling (float
   * blocks' select), held-out rows scored every iteration and early stopping on them. The same
   * run in double is the oracle: the held-out RMSE within 2% of it.
   */
  @Test
  void floatBlocksWorkWithSamplingValidationAndEarlyStopping() {
    Dataset<Row> df = MlFixtures.diabetesAssembled();
    java.util.function.Function<String, MultilayerPerceptronRegressionModel> fit = p ->
        new MultilayerPerceptronRegressor().setLayers(new int[] {10, 8, 1}).setSolver("sgd")
            .setMiniBatchFraction(0.5).setStepSize(0.05).setMaxIter(60).setSeed(4)
            .setValidationFraction(0.25).setPatience(20).setPrecision(p).fit(df);
    MultilayerPerceptronRegressionModel d = fit.apply("double");
    MultilayerPerceptronRegressionModel f = fit.apply("float");
    assertTrue(f.summary().validation() != null, "validation metrics in float mode");
    assertEquals(d.summary().validationRows(), f.summary().validationRows(), "held-out rows");
    double vd = d.summary().validation().rmse();
    double vf = f.summary().validation().rmse();
    assertEquals(vd, vf, 0.02 * vd, "held-out RMSE, double " + vd + ", float " + vf);
    assertTrue(f.summary().history().stream().anyMatch(it -> !Double.isNaN(it.validationRmse())),
        "validation RMSE recorded during float training");
  }
}
