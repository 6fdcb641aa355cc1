package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static io.sparkbackprop.ml.MlFixtures.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkbackprop.spark.SparkCompat;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Spark Connect's server does with a fitted model besides transform (the Python suite's
 * connect/ tests drive a real server): it transforms and saves {@code model.copy(ParamMap.empty)},
 * and (Spark 4.1+) its model cache writes idle models with {@code write().saveToLocal(dir)} and
 * reads them back with {@code read().loadFromLocal(dir)} (driver-local files, metadata as one
 * file). Both must keep the uid, the Params, the network, weights, scaling and summary: the
 * model.json text of the copy equals the original's, and predictions are the same bits.
 */
class ConnectCacheTest {
  @TempDir
  Path tmp;

  private static Dataset<Row> data;
  private static MultilayerPerceptronRegressionModel model;
  private static double[] predicted;

  @BeforeAll
  static void fit() {
    data = MlFixtures.diabetesAssembled();
    model = MlFixtures.small().setValidationFraction(0.2).fit(data).setBlockSize(64);
    predicted = column(model.transform(data), "prediction");
  }

  private static void assertSameModel(MultilayerPerceptronRegressionModel copy, String what) {
    assertEquals(model.uid(), copy.uid(), what + ": uid");
    assertEquals(model.toSaved().toJsonString(), copy.toSaved().toJsonString(),
        what + ": model.json (network, weights, scaling, summary)");
    assertEquals(64, copy.getBlockSize(), what + ": a Param set on the model");
    assertSameDoubles(predicted, column(copy.transform(data), "prediction"), what + ": predictions");
  }

  @Test
  void copyWithAnEmptyParamMapIsTheSameModel() {
    MultilayerPerceptronRegressionModel copy = model.copy(ParamMap.empty());
    assertSameModel(copy, "copy");
    assertSame(model.parent(), copy.parent(), "copy: parent");
    assertTrue(copy.hasSummary(), "copy: summary");
  }

  @Test
  void saveToLocalAndLoadFromLocalGiveTheSameModel() throws Exception {
    assumeTrue(SparkCompat.LINE.equals("4"), "Spark 3.5 has no saveToLocal (no Connect ML)");
    Path dir = tmp.resolve("cached");
    // Through reflection: the Spark 3.5 build compiles this class too.
    Method save = MLWriter.class.getMethod("saveToLocal", String.class);
    Method load = MLReader.class.getMethod("loadFromLocal", String.class);
    save.invoke(model.write(), dir.toString());
    assertTrue(Files.isRegularFile(dir.resolve("metadata")), "the local layout: metadata as a file");
    assertTrue(Files.isRegularFile(dir.resolve("model.json")), "model.json");
    MultilayerPerceptronRegressionModel loaded = (MultilayerPerceptronRegressionModel)
        load.invoke(MultilayerPerceptronRegressionModel.read(), dir.toString());
    assertSameModel(loaded, "loadFromLocal");
  }
}
