package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import py4j.reflection.ReflectionEngine;

/**
 * PySpark reaches the estimator and the model through Py4J, whose reflection finds a default
 * method only in an interface the class implements directly: every Param's accessor and getter
 * must be found by Py4J's own lookup (the one the Python package's calls go through).
 */
class Py4jReachTest {
  private static List<String> unreachable(Object o, Param<?>[] params) {
    ReflectionEngine engine = new ReflectionEngine();
    List<String> missing = new ArrayList<>();
    for (Param<?> p : params) {
      String getter = "get" + Character.toUpperCase(p.name().charAt(0)) + p.name().substring(1);
      for (String name : List.of(p.name(), getter)) {
        try {
          engine.getMethod(o.getClass(), name, new Class<?>[0]);
        } catch (RuntimeException e) {
          missing.add(name);
        }
      }
    }
    return missing;
  }

  @Test
  void everyParamAndGetterOfTheEstimatorAndTheModelIsFoundByPy4j() {
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor();
    List<String> missing = unreachable(est, est.params());
    assertTrue(missing.isEmpty(), "not found by Py4J on the estimator: " + missing);
    MultilayerPerceptronRegressionModel model = MlFixtures.small().setMaxIter(1)
        .fit(MlFixtures.diabetesAssembled());
    missing = unreachable(model, model.params());
    assertTrue(missing.isEmpty(), "not found by Py4J on the model: " + missing);
  }
}
