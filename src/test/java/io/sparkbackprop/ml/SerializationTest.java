package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java serialization: Spark ships a model inside closures and UDFs, so the model (its Params and
 * their validators included) and the estimator must survive an ObjectOutputStream round trip.
 */
class SerializationTest {
  private static Dataset<Row> data;
  private static MultilayerPerceptronRegressionModel model;

  @BeforeAll
  static void fit() {
    data = MlFixtures.diabetesAssembled();
    model = MlFixtures.small().setMaxIter(10).setValidationFraction(0.2).fit(data);
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(
        bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void theModelSurvivesAndPredictsTheSame() throws Exception {
    MultilayerPerceptronRegressionModel copy = roundTrip(model);
    assertNotSame(model, copy, "a new object");
    assertEquals(model.uid(), copy.uid(), "uid");
    assertSameDoubles(model.weights(), copy.weights(), "weights");
    assertArrayEquals(model.getLayers(), copy.getLayers(), "layers");
    assertEquals(model.getMaxIter(), copy.getMaxIter(), "maxIter");
    assertSameDoubles(model.summary().objectiveHistory(), copy.summary().objectiveHistory(),
        "objective history");
    for (Row r : data.select("features").limit(25).collectAsList()) {
      Vector x = (Vector) r.get(0);
      double a = model.predict(x);
      double b = copy.predict(x);
      assertEquals(Double.doubleToLongBits(a), Double.doubleToLongBits(b),
          "prediction of " + x + ": expected " + a + " but was " + b);
    }
    assertSameDoubles(MlFixtures.column(model.transform(data), "prediction"),
        MlFixtures.column(copy.transform(data), "prediction"), "transform of the copy");
    // Its Params still check values after the trip (the validators came along).
    assertThrows(IllegalArgumentException.class, () -> copy.set(copy.blockSize(), 0));
    assertThrows(IllegalArgumentException.class, () -> copy.set(copy.storageLevel(), "NOPE"));
  }

  @Test
  void theModelWorksInsideAUdf() {
    // The model itself captured by a UDF: Spark serializes it to the executors' tasks.
    MultilayerPerceptronRegressionModel m = model;
    UserDefinedFunction udf = functions.udf((UDF1<Vector, Double>) m::predict,
        DataTypes.DoubleType);
    double[] byUdf = MlFixtures.column(data.select(udf.apply(functions.col("features")).as("p")),
        "p");
    double[] byPredict = data.select("features").collectAsList().stream()
        .mapToDouble(r -> m.predict((Vector) r.get(0))).toArray();
    assertSameDoubles(byPredict, byUdf, "predict in a UDF vs on the driver");
  }

  @Test
  void theEstimatorSurvivesWithItsParams() throws Exception {
    MultilayerPerceptronRegressor est = MlFixtures.small().setSolver("adam")
        .setHiddenActivation("tanh").setStorageLevel("MEMORY_ONLY").setSplitSeed(5)
        .setInitialWeights(Vectors.dense(new double[97]))
        .setListener((it, max) -> { });
    MultilayerPerceptronRegressor copy = roundTrip(est);
    assertEquals(est.uid(), copy.uid(), "uid");
    assertArrayEquals(est.getLayers(), copy.getLayers(), "layers");
    assertEquals("adam", copy.getSolver(), "solver");
    assertEquals("tanh", copy.getHiddenActivation(), "hiddenActivation");
    assertEquals("MEMORY_ONLY", copy.getStorageLevel(), "storageLevel");
    assertEquals(0.05, copy.getStepSize(), "stepSize");
    assertEquals(5L, copy.getSplitSeed(), "splitSeed");
    assertEquals(est.getInitialWeights(), copy.getInitialWeights(), "initialWeights");
    assertEquals(null, copy.getListener(), "the listener is not serialized");
    assertThrows(IllegalArgumentException.class, () -> copy.setSolver("newton"));
    // The copy trains as the original would.
    MultilayerPerceptronRegressor a = MlFixtures.small().setMaxIter(5);
    assertSameDoubles(a.fit(data).weights(), roundTrip(a).fit(data).weights(),
        "weights fitted by the deserialized estimator");
    assertTrue(copy.params().length == est.params().length, "params");
  }
}
