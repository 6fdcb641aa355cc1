package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.errors.DataException;
import io.sparkbackprop.spark.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of features column the library reads gives the same training as Spark's
 * VectorAssembler over numeric columns holding the same numbers. The numbers are multiples of
 * 1/8, so that float and double hold them exactly.
 */
class FeatureTypesTest {
  private static final int ROWS = 200;
  private static Dataset<Row> data;
  private static double[] expected;

  static double a(int i) {
    return (i % 17) / 8.0 - 1.0;
  }

  static double b(int i) {
    return ((i * 7) % 13) / 4.0;
  }

  /** Zero in four rows of five: a sparse column. */
  static double c(int i) {
    return i % 5 == 0 ? (i % 11) / 8.0 : 0.0;
  }

  static double label(int i) {
    return Math.round(8 * (a(i) - 0.5 * b(i) + c(i) * c(i))) / 8.0;
  }

  private static StructType schema() {
    return new StructType().add("id", DataTypes.IntegerType)
        .add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
        .add("c", DataTypes.DoubleType).add("label", DataTypes.DoubleType)
        .add("dense", SQLDataTypes.VectorType()).add("sparse", SQLDataTypes.VectorType())
        .add("arrD", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("arrF", DataTypes.createArrayType(DataTypes.FloatType));
  }

  private static Row row(int i) {
    double[] x = {a(i), b(i), c(i)};
    List<Integer> nz = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      if (x[j] != 0) {
        nz.add(j);
      }
    }
    int[] idx = nz.stream().mapToInt(Integer::intValue).toArray();
    double[] val = nz.stream().mapToDouble(j -> x[j]).toArray();
    return RowFactory.create(i, x[0], x[1], x[2], label(i), Vectors.dense(x),
        Vectors.sparse(3, idx, val), x.clone(),
        new float[] {(float) x[0], (float) x[1], (float) x[2]});
  }

  /** Rows 0..199 in two partitions (0..99 and 100..199), in order. */
  private static Dataset<Row> table(List<Row> rows, StructType schema) {
    return MlFixtures.spark().createDataFrame(SparkTestSession.context().parallelize(rows, 2),
        schema);
  }

  private static MultilayerPerceptronRegressor est(String featuresCol) {
    return new MultilayerPerceptronRegressor().setLayers(new int[] {3, 5, 1}).setMaxIter(15)
        .setStepSize(0.1).setSeed(3).setFeaturesCol(featuresCol);
  }

  @BeforeAll
  static void data() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(row(i));
    }
    data = new VectorAssembler().setInputCols(new String[] {"a", "b", "c"})
        .setOutputCol("assembled").transform(table(rows, schema())).cache();
    assertEquals(2, data.rdd().getNumPartitions(), "partitions of the test data");
    expected = est("assembled").fit(data).weights();
  }

  @AfterAll
  static void release() {
    data.unpersist(true);
  }

  @Test
  void denseVectors() {
    assertSameDoubles(expected, est("dense").fit(data).weights(), "dense Vector column");
  }

  @Test
  void sparseVectors() {
    long sparse = data.select("sparse").collectAsList().stream()
        .filter(r -> r.get(0) instanceof org.apache.spark.ml.linalg.SparseVector).count();
    assertEquals(ROWS, sparse, "rows of the sparse column that are SparseVectors");
    assertSameDoubles(expected, est("sparse").fit(data).weights(), "sparse Vector column");
  }

  @Test
  void arraysOfDoubles() {
    assertSameDoubles(expected, est("arrD").fit(data).weights(), "array<double> column");
  }

  @Test
  void arraysOfFloats() {
    MultilayerPerceptronRegressionModel m = est("arrF").fit(data);
    assertSameDoubles(expected, m.weights(), "array<float> column");
    assertEquals(List.of("arrF[0]", "arrF[1]", "arrF[2]"), m.featureNames(),
        "feature names of an array column");
  }

  @Test
  void theAssemblersNamesAreTheFeatureNames() {
    MultilayerPerceptronRegressionModel m = est("assembled").setMaxIter(1).fit(data);
    assertEquals(List.of("a", "b", "c"), m.featureNames(), "feature names");
  }

  @Test
  void aRaggedArrayIsRefusedNamingTheRowAndItsValues() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(RowFactory.create(i == 150 ? new double[] {0.625, 1.5}
          : new double[] {a(i), b(i), c(i)}, label(i)));
    }
    Dataset<Row> ragged = table(rows, new StructType()
        .add("x", DataTypes.createArrayType(DataTypes.DoubleType)).add("label",
            DataTypes.DoubleType));
    DataException e = assertThrows(DataException.class, () -> est("x").fit(ragged));
    assertEquals(DataException.Kind.WIDTH, e.kind(), "kind; message: " + e.getMessage());
    assertTrue(e.getMessage().contains("row 150") && e.getMessage().contains("[0.625, 1.5]"),
        "expected the row (150) and its values [0.625, 1.5] in: " + e.getMessage());
    assertTrue(e.getMessage().contains("1 of 200 rows"), "expected '1 of 200 rows' in: "
        + e.getMessage());
  }

  /** data with b NaN in rows 10, 20, 130 and c null in rows 40, 170, assembled with "keep". */
  private static Dataset<Row> withHoles() {
    Dataset<Row> raw = data.drop("assembled")
        .withColumn("b", functions.when(functions.col("id").isin(10, 20, 130),
            functions.lit(Double.NaN)).otherwise(functions.col("b")))
        .withColumn("c", functions.when(functions.col("id").isin(40, 170),
            functions.lit(null).cast("double")).otherwise(functions.col("c")));
    return new VectorAssembler().setInputCols(new String[] {"a", "b", "c"})
        .setOutputCol("assembled").setHandleInvalid("keep").transform(raw);
  }

  @Test
  void nullAndNaNFeaturesAreCountedAndNamedPerFeature() {
    DataException e = assertThrows(DataException.class,
        () -> est("assembled").fit(withHoles()));
    assertEquals(DataException.Kind.INVALID_VALUES, e.kind(), "kind; message: " + e.getMessage());
    assertTrue(e.getMessage().contains("5 of 200 rows") && e.getMessage().contains("b: 3, c: 2"),
        "expected '5 of 200 rows' and 'b: 3, c: 2' in: " + e.getMessage());
    assertTrue(e.getMessage().contains("handleInvalid"), "the hint names handleInvalid: "
        + e.getMessage());
  }

  @Test
  void skipTrainsWithoutTheInvalidRows() {
    MultilayerPerceptronRegressionModel m = est("assembled").setHandleInvalid("skip")
        .fit(withHoles());
    assertEquals(5, m.summary().invalidRows(), "invalid rows");
    assertEquals(195, m.summary().trainingRows(), "training rows");
    // The same as training on the table without those rows (same partitions, same order).
    Dataset<Row> clean = withHoles().filter(functions.not(functions.col("id").isin(10, 20, 130,
        40, 170)));
    MultilayerPerceptronRegressionModel ref = est("assembled").fit(clean);
    assertEquals(195, ref.summary().trainingRows(), "rows of the filtered table");
    assertSameDoubles(ref.weights(), m.weights(), "weights with skip vs without the rows");
  }

  @Test
  void nullArraysAndNullElementsAreNamed() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      Double[] x = {a(i), i == 60 ? null : b(i), c(i)};
      rows.add(RowFactory.create(i == 61 ? null : x, label(i)));
    }
    Dataset<Row> holes = table(rows, new StructType()
        .add("x", DataTypes.createArrayType(DataTypes.DoubleType, true)).add("label",
            DataTypes.DoubleType));
    DataException e = assertThrows(DataException.class, () -> est("x").fit(holes));
    assertTrue(e.getMessage().contains("2 of 200 rows") && e.getMessage().contains("x[1]: 1")
        && e.getMessage().contains("x (null): 1"),
        "expected '2 of 200 rows', 'x[1]: 1' and 'x (null): 1' in: " + e.getMessage());
  }
}
