package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;

/** The Params of the estimator: documented, defaulted or optional, checked when set, copied. */
class RegressorParamsTest {
  /** The Params without a default, each documented as optional (or, for layers, required). */
  private static final Set<String> OPTIONAL = Set.of("layers", "stepSize", "blockSize",
      "initialWeights", "miniBatchFraction", "validationIndicatorCol", "validationFraction",
      "splitSeed", "checkpointDir", "tol", "nIterNoChange", "regParam", "weightCol");

  @Test
  void everyParamHasADocAndADefaultOrSaysWhatHappensWhenNotSet() {
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor();
    Set<String> withoutDefault = new TreeSet<>();
    for (Param<?> p : est.params()) {
      assertFalse(p.doc() == null || p.doc().isBlank(), p.name() + " has no doc");
      assertEquals(est.uid(), p.parent(), p.name() + "'s parent");
      if (!est.hasDefault(p)) {
        withoutDefault.add(p.name());
        String doc = p.doc().toLowerCase(java.util.Locale.ROOT);
        assertTrue(doc.contains("not set") || doc.contains("required"), p.name()
            + " has no default and its doc does not say what happens when it is not set: "
            + p.doc());
      }
    }
    assertEquals(new TreeSet<>(OPTIONAL), withoutDefault, "the Params without a default");
  }

  @Test
  void optionalParamsStillHaveTheValueTheirDocPromises() {
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 8, 1});
    assertEquals("local-adam", est.getSolver(), "the default solver");
    est.setSolver("gd");
    assertEquals(0.0, est.regParamFor(1000), "regParam of gd when not set");
    assertEquals(0.1, est.getStepSize(), "stepSize of gd when not set");
    assertEquals(1.0, est.getMiniBatchFraction(), "miniBatchFraction of gd when not set");
    assertEquals(1024, est.getBlockSize(), "blockSize when every layer after the input is <= 8");
    assertEquals(42L, est.getSplitSeed(), "splitSeed when not set: the seed's default");
    est.setSeed(9L);
    assertEquals(9L, est.getSplitSeed(), "splitSeed when not set: the seed");
    est.setSplitSeed(3L);
    assertEquals(3L, est.getSplitSeed(), "splitSeed when set");
    est.setSolver("adam");
    assertEquals(0.01, est.getStepSize(), "stepSize of adam when not set");
    assertEquals(1.0, est.getMiniBatchFraction(), "miniBatchFraction of adam when not set");
    est.setSolver("sgd");
    assertEquals(0.1, est.getStepSize(), "stepSize of sgd when not set");
    assertEquals(0.1, est.getMiniBatchFraction(), "miniBatchFraction of sgd when not set");
    est.setLayers(new int[] {10, 9, 1});
    assertEquals(256, est.getBlockSize(), "blockSize when a layer is wider than 8");
    est.setBlockSize(33).setStepSize(0.5).setMiniBatchFraction(0.25);
    assertEquals(33, est.getBlockSize(), "blockSize when set");
    assertEquals(0.5, est.getStepSize(), "stepSize when set");
    assertEquals(0.25, est.getMiniBatchFraction(), "miniBatchFraction when set");
    assertEquals(0.0, est.getValidationFraction(), "validationFraction when not set");
    assertEquals(null, est.getValidationIndicatorCol(), "validationIndicatorCol when not set");
    assertEquals(null, est.getCheckpointDir(), "checkpointDir when not set");
    assertEquals(null, est.getInitialWeights(), "initialWeights when not set");
    est.setSolver("LBFGS");
    assertEquals("l-bfgs", est.getSolver(), "lbfgs in any case reads as l-bfgs");
    assertEquals(0.0, est.getTol(), "tol of l-bfgs when not set");
    assertEquals(0, est.getNIterNoChange(), "nIterNoChange of l-bfgs when not set");
    est.setSolver("local-adam");
    assertEquals(1e-4, est.getTol(), "tol of local-adam when not set");
    assertEquals(20, est.getNIterNoChange(), "nIterNoChange of local-adam when not set");
    assertEquals(0.003, new MultilayerPerceptronRegressor().getStepSize(),
        "stepSize of local-adam when not set");
    assertEquals(5.0 / 1000, est.regParamFor(1000), "regParam of local-adam when not set");
    est.setTol(0.0).setNIterNoChange(3);
    assertEquals(0.0, est.getTol(), "tol when set");
    assertEquals(3, est.getNIterNoChange(), "nIterNoChange when set");
  }

  /** Setting the value must fail with a message naming the param and its range. */
  private static void assertRefused(Consumer<MultilayerPerceptronRegressor> set, String param,
      String range) {
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> set.accept(est), param + ": no IllegalArgumentException");
    String m = e.getMessage();
    assertTrue(m != null && m.contains(param) && m.contains(range), "expected a message naming "
        + param + " and '" + range + "', got: " + m);
    assertFalse(est.isSet(est.getParam(param)), param + " was set despite the refusal");
  }

  @Test
  void invalidValuesAreRefusedWhenSet() {
    assertRefused(e -> e.setMaxIter(0), "maxIter", ">= 1");
    assertRefused(e -> e.setStepSize(-1), "stepSize", "> 0");
    assertRefused(e -> e.setStepSize(0), "stepSize", "> 0");
    assertRefused(e -> e.setSolver("newton"), "solver", "l-bfgs");
    assertRefused(e -> e.setLayers(new int[] {10}), "layers", "at least 2");
    assertRefused(e -> e.setLayers(new int[] {10, 0, 1}), "layers", ">= 1");
    assertRefused(e -> e.setMiniBatchFraction(0), "miniBatchFraction", "(0, 1]");
    assertRefused(e -> e.setMiniBatchFraction(1.5), "miniBatchFraction", "(0, 1]");
    assertRefused(e -> e.setMomentum(1), "momentum", "[0, 1)");
    assertRefused(e -> e.setHiddenActivation("softplus"), "hiddenActivation", "relu");
    assertRefused(e -> e.setOutputActivation("relu,relu"), "outputActivation", "identity");
    assertRefused(e -> e.setStorageLevel("NOPE"), "storageLevel", "MEMORY_AND_DISK");
    assertRefused(e -> e.setValidationFraction(1), "validationFraction", "(0, 1)");
    assertRefused(e -> e.setRegParam(-0.1), "regParam", ">= 0");
    assertRefused(e -> e.setHandleInvalid("keep"), "handleInvalid", "skip");
    assertRefused(e -> e.setBeta2(1), "beta2", "[0, 1)");
    assertRefused(e -> e.setCombineMode("random"), "combineMode", "ordered");
    assertRefused(e -> e.setNumPartitions(-1), "numPartitions", ">= 0");
    assertRefused(e -> e.set(e.maxIter(), -5), "maxIter", ">= 1");
  }

  @Test
  void validValuesAtTheEdgesAreAccepted() {
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor().setMaxIter(1)
        .setMiniBatchFraction(1).setMomentum(0).setStorageLevel("MEMORY_ONLY")
        .setHiddenActivation("tanh,relu").setLayers(new int[] {1, 1}).setSolver("Adam")
        .setHandleInvalid("skip");
    assertEquals(1, est.getMaxIter(), "maxIter");
    assertEquals("adam", est.getSolver(), "solver");
    assertEquals("MEMORY_ONLY", est.getStorageLevel(), "storageLevel");
  }

  @Test
  void copyKeepsTheValuesAndAddsTheExtra() {
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 5, 1}).setMaxIter(7).setStepSize(0.3).setSolver("sgd");
    ParamMap extra = new ParamMap().put(est.regParam(), 0.25).put(est.maxIter(), 9);
    MultilayerPerceptronRegressor copy = est.copy(extra);
    assertNotSame(est, copy, "copy");
    assertEquals(est.uid(), copy.uid(), "uid of the copy");
    assertArrayEquals(new int[] {10, 5, 1}, copy.getLayers(), "layers of the copy");
    assertEquals(0.3, copy.getStepSize(), "stepSize of the copy");
    assertEquals("sgd", copy.getSolver(), "solver of the copy");
    assertEquals(0.25, copy.getRegParam(), "extra regParam of the copy");
    assertEquals(9, copy.getMaxIter(), "extra maxIter overrides the copied value");
    assertEquals(7, est.getMaxIter(), "the original's maxIter");
    assertEquals(0.0, est.getRegParam(), "the original's regParam");
    assertFalse(est.isSet(est.regParam()), "the original's regParam is still unset");
    // Each owns its Params: setting one does not change the other.
    copy.setStepSize(0.9);
    assertEquals(0.3, est.getStepSize(), "the original's stepSize after the copy's changed");
    for (Param<?> p : copy.params()) {
      assertEquals(copy.uid(), p.parent(), "parent of the copy's " + p.name());
    }
    TrainingListener listener = (it, max) -> { };
    assertEquals(listener, est.setListener(listener).copy(ParamMap.empty()).getListener(),
        "the listener goes with copies");
  }

  @Test
  void explainParamsListsEveryParam() {
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor().setMaxIter(3);
    String text = est.explainParams();
    for (Param<?> p : est.params()) {
      assertTrue(text.contains(p.name() + ": "), "explainParams does not list " + p.name());
    }
    assertTrue(text.contains("maxIter: ") && text.contains("current: 3"), "maxIter's value: "
        + text);
    assertTrue(est.params().length >= 42, "params: " + est.params().length);
    // The Params MLlib users know carry MLlib's names.
    for (String name : List.of("layers", "maxIter", "stepSize", "tol", "seed", "blockSize",
        "solver", "initialWeights", "regParam", "featuresCol", "labelCol", "predictionCol",
        "validationIndicatorCol", "aggregationDepth", "standardization")) {
      assertTrue(est.hasParam(name), "no Param " + name);
    }
  }

  @Test
  void theModelHasTheSameParams() {
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor();
    MultilayerPerceptronRegressionModel model = new MultilayerPerceptronRegressionModel("m",
        io.sparkbackprop.nn.Network.of(new int[] {2, 1}, new io.sparkbackprop.nn.Activation[] {
            io.sparkbackprop.nn.Activation.IDENTITY}), new double[3],
        io.sparkbackprop.nn.Scaling.identity(2), List.of("a", "b"), null);
    Set<String> a = new TreeSet<>();
    Set<String> b = new TreeSet<>();
    for (Param<?> p : est.params()) {
      a.add(p.name());
    }
    for (Param<?> p : model.params()) {
      b.add(p.name());
      assertEquals("m", p.parent(), "parent of the model's " + p.name());
    }
    assertEquals(a, b, "Param names of the estimator and the model");
    assertArrayEquals(new int[] {2, 1}, model.getLayers(), "the model's layers");
    assertFalse(model.hasSummary(), "a model made without a summary");
    assertThrows(java.util.NoSuchElementException.class, model::summary);
    model.setPredictionCol("yhat");
    MultilayerPerceptronRegressionModel copy = model.copy(new ParamMap().put(model.blockSize(),
        17));
    assertEquals("yhat", copy.getPredictionCol(), "the model copy's predictionCol");
    assertEquals(17, copy.getBlockSize(), "the model copy's extra blockSize");
    assertFalse(model.isSet(model.blockSize()), "the model's blockSize is still unset");
    assertSameDoubles(model.weights(), copy.weights(), "the model copy's weights");
  }
}
