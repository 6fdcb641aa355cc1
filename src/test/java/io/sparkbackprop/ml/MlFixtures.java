package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkbackprop.spark.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Data, estimators and assertions shared by the tests of the ML API. */
final class MlFixtures {
  static final String DIABETES = Path.of("data/diabetes.parquet").toAbsolutePath().toString();
  static final String[] DIABETES_FEATURES = {"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4",
      "s5", "s6"};

  private MlFixtures() {}

  static SparkSession spark() {
    return SparkTestSession.get();
  }

  /** The shipped diabetes table, raw columns (442 rows). */
  static Dataset<Row> diabetes() {
    return spark().read().parquet(DIABETES);
  }

  /** Spark's assembler of the ten diabetes columns into "features". */
  static VectorAssembler diabetesAssembler() {
    return new VectorAssembler().setInputCols(DIABETES_FEATURES).setOutputCol("features");
  }

  /** The diabetes table with a "features" Vector column. */
  static Dataset<Row> diabetesAssembled() {
    return diabetesAssembler().transform(diabetes());
  }

  /** A small, quick estimator for the diabetes features: 10-8-1, 20 iterations of gd. */
  static MultilayerPerceptronRegressor small() {
    return new MultilayerPerceptronRegressor().setLayers(new int[] {10, 8, 1}).setSolver("gd")
        .setMaxIter(20).setStepSize(0.05);
  }

  /** The double column {@code name} of {@code df}, in row order. */
  static double[] column(Dataset<Row> df, String name) {
    List<Row> rows = df.select(name).collectAsList();
    double[] out = new double[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i).getDouble(0);
    }
    return out;
  }

  /** The ids of the RDDs the shared SparkContext holds persisted now. */
  static Set<Integer> persisted() {
    return new TreeSet<>(SparkTestSession.context().getPersistentRDDs().keySet());
  }

  /**
   * The RDDs persisted now that were not in {@code before}. Not an equality with before: the
   * ContextCleaner may unpersist another test's forgotten RDDs at any time, after a GC.
   */
  static Set<Integer> persistedSince(Set<Integer> before) {
    Set<Integer> now = persisted();
    now.removeAll(before);
    return now;
  }

  /** Nothing was left persisted since {@code before}. */
  static void assertNothingNewPersisted(Set<Integer> before, String what) {
    assertEquals(Set.of(), persistedSince(before), "RDDs left persisted " + what);
  }

  /** Exact equality of two arrays, naming the first index that differs. */
  static void assertSameDoubles(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
        fail(what + ": at " + i + " expected " + expected[i] + " but was " + actual[i]);
      }
    }
  }

  /** |actual - expected| <= rel * |expected| (both NaN counts as equal). */
  static void assertRelClose(double expected, double actual, double rel, String what) {
    if (Double.isNaN(expected) && Double.isNaN(actual)) {
      return;
    }
    double err = Math.abs(actual - expected);
    if (!(err <= rel * Math.abs(expected))) {
      fail(what + ": expected " + expected + " but was " + actual + " (relative error "
          + err / Math.abs(expected) + " > " + rel + ")");
    }
  }
}
