package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkbackprop.spark.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code transform} scores blocks of rows, {@code predict} one vector: the same network, the same
 * standardization, the same numbers to rounding. Not bit for bit: the forward pass multiplies
 * a block's matrix with BLAS, and a BLAS product over a block of n rows may sum its terms in
 * another order (or with fused multiply-adds, or SIMD lanes) than over a block of one row.
 */
class TransformPredictTest {
  private static final double REL = 1e-12;
  private static final int ROWS = 150;
  private static MultilayerPerceptronRegressionModel model;
  private static Dataset<Row> scoring;

  private static double[] x(int i) {
    return new double[] {Math.sin(i), i % 3 == 0 ? 0.0 : Math.cos(0.7 * i), i % 4 == 0 ? 0.0
        : (i % 9) - 4.0};
  }

  /** The rows of the scoring table that hold a null or non-finite feature. */
  private static boolean hole(int i) {
    return i % 37 == 5;
  }

  private static Row row(int i) {
    double[] x = x(i);
    if (hole(i)) {
      // In turn: null features, a NaN, an infinite value, a NaN (a null array element).
      int k = (i / 37) % 4;
      if (k == 0) {
        return RowFactory.create(i, null, null, null);
      }
      x[k == 1 ? 1 : k == 2 ? 2 : 0] = k == 2 ? Double.POSITIVE_INFINITY : Double.NaN;
      Double[] boxed = {k == 3 ? null : x[0], x[1], x[2]};
      return RowFactory.create(i, Vectors.dense(x), sparse(x), boxed);
    }
    return RowFactory.create(i, Vectors.dense(x), sparse(x), new Double[] {x[0], x[1], x[2]});
  }

  /** x as a SparseVector, zeros left out. */
  private static SparseVector sparse(double[] x) {
    return Vectors.dense(x).toSparse();
  }

  @BeforeAll
  static void fit() {
    List<Row> training = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double[] x = x(i);
      training.add(RowFactory.create(Vectors.dense(x), 3 * x[0] - x[1] * x[2] + 10.0));
    }
    Dataset<Row> df = MlFixtures.spark().createDataFrame(training, new StructType()
        .add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType));
    model = new MultilayerPerceptronRegressor().setLayers(new int[] {3, 6, 1}).setMaxIter(20)
        .setHiddenActivation("tanh").fit(df);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(row(i));
    }
    scoring = MlFixtures.spark().createDataFrame(SparkTestSession.context().parallelize(rows, 2),
        new StructType().add("id", DataTypes.IntegerType)
            .add("dense", SQLDataTypes.VectorType(), true)
            .add("sparse", SQLDataTypes.VectorType(), true)
            .add("array", DataTypes.createArrayType(DataTypes.DoubleType, true), true));
  }

  /** transform on column {@code col} (blocks of 16), row by row against predict. */
  private static void assertTransformIsPredict(String col) {
    MultilayerPerceptronRegressionModel m = model.copy(new org.apache.spark.ml.param.ParamMap())
        .setFeaturesCol(col).setPredictionCol("p");
    m.set(m.blockSize(), 16);
    List<Row> out = m.transform(scoring).select("id", "p").collectAsList();
    assertEquals(ROWS, out.size(), col + ": rows out");
    int holes = 0;
    for (Row r : out) {
      int i = r.getInt(0);
      double p = r.getDouble(1);
      if (hole(i)) {
        holes++;
        assertTrue(Double.isNaN(p), col + ": row " + i + " has a null or non-finite feature:"
            + " expected NaN but was " + p);
        continue;
      }
      double expected = model.predict(col.equals("sparse") ? sparse(x(i)) : Vectors.dense(x(i)));
      double err = Math.abs(p - expected);
      if (!(err <= REL * Math.abs(expected))) {
        fail(col + ": row " + i + ": predict gave " + expected + ", transform " + p
            + " (relative error " + err / Math.abs(expected) + ")");
      }
    }
    assertEquals(4, holes, col + ": rows with holes");
  }

  @Test
  void denseVectors() {
    assertTransformIsPredict("dense");
  }

  @Test
  void sparseVectors() {
    assertTransformIsPredict("sparse");
  }

  @Test
  void arrays() {
    assertTransformIsPredict("array");
  }

  @Test
  void predictOfSparseEqualsPredictOfDense() {
    for (int i = 0; i < 20; i++) {
      double a = model.predict(Vectors.dense(x(i)));
      double b = model.predict(sparse(x(i)));
      assertEquals(a, b, 0.0, "predict of row " + i + " dense vs sparse");
    }
  }

  @Test
  void predictionsAreInTheLabelsUnits() {
    // The label is about 10 plus a few units: a model that forgot to unscale would predict
    // near 0.
    double p = model.predict(Vectors.dense(x(1)));
    assertTrue(p > 4 && p < 16, "prediction in label units, got " + p);
  }

  @Test
  void predictRefusesAVectorOfTheWrongSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.predict(Vectors.dense(1, 2)));
    assertTrue(e.getMessage().contains("2") && e.getMessage().contains("3"),
        "expected the sizes 2 and 3 in: " + e.getMessage());
  }

  @Test
  void countInvalidCountsTheHoles() {
    MultilayerPerceptronRegressionModel m = model.copy(new org.apache.spark.ml.param.ParamMap())
        .setFeaturesCol("sparse");
    m.set(m.handleInvalid(), "skip");
    long[] c = m.countInvalid(scoring);
    assertEquals(ROWS, c[0], "rows counted");
    assertEquals(4, c[1], "invalid rows counted");
    m.set(m.handleInvalid(), "error");
    io.sparkbackprop.errors.DataException e = assertThrows(
        io.sparkbackprop.errors.DataException.class, () -> m.countInvalid(scoring));
    assertTrue(e.getMessage().contains("4 of 150"), e.getMessage());
    assertFalse(e.getMessage().isEmpty());
  }
}
