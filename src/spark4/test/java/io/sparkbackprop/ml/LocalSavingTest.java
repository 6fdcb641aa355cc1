package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static io.sparkbackprop.ml.MlFixtures.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark 4's saveToLocal/loadFromLocal (Spark Connect's model cache); Spark 3.5 has neither. */
class LocalSavingTest {
  @TempDir
  Path tmp;

  private static Dataset<Row> assembled;
  private static MultilayerPerceptronRegressionModel model;
  private static double[] predicted;

  @BeforeAll
  static void fit() {
    assembled = MlFixtures.diabetesAssembled();
    model = MlFixtures.small().setValidationFraction(0.2).fit(assembled);
    predicted = column(model.transform(assembled), "prediction");
  }

  private String dir(String name) {
    return tmp.resolve(name).toString();
  }

  @Test
  void saveToLocalAndLoadFromLocalRoundTrip() throws IOException {
    String path = dir("local");
    model.write().saveToLocal(path);
    assertTrue(Files.isRegularFile(tmp.resolve("local/metadata")),
        "the local layout's metadata is one file");
    MultilayerPerceptronRegressionModel loaded = MultilayerPerceptronRegressionModel.read()
        .loadFromLocal(path);
    assertEquals(model.uid(), loaded.uid(), "uid");
    assertSameDoubles(model.weights(), loaded.weights(), "weights");
    assertSameDoubles(predicted, column(loaded.transform(assembled), "prediction"),
        "predictions after loadFromLocal");
    assertTrue(loaded.hasSummary(), "summary after loadFromLocal");

    MultilayerPerceptronRegressor est = MlFixtures.small().setSolver("adam").setSplitSeed(8);
    est.write().saveToLocal(dir("local-estimator"));
    MultilayerPerceptronRegressor e = MultilayerPerceptronRegressor.read()
        .loadFromLocal(dir("local-estimator"));
    assertEquals(est.uid(), e.uid(), "estimator uid after loadFromLocal");
    for (Param<?> p : est.params()) {
      assertEquals(est.isSet(p), e.isSet(e.getParam(p.name())), "isSet of " + p.name());
      PersistenceTest.assertParamValue(est, e, p.name());
    }
  }
}
