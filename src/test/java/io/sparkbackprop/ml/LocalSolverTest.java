package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * local-adam through the estimator on Friedman #1 (noise sd 1, held-out R2 ceiling near 0.96):
 * it converges, and a table sorted by the label trains as well as the same rows in random order.
 * Oracle: Spark's RegressionEvaluator on rows the fit never saw. Not timed.
 */
class LocalSolverTest {
  /** Rows [from, from + n) of Friedman #1 with seed 7, as (features, label), 4 partitions. */
  private static Dataset<Row> friedman(long from, int n) {
    List<Row> rows = new ArrayList<>();
    double[] x = new double[Friedman.FEATURES];
    for (long i = from; i < from + n; i++) {
      double y = Friedman.row(7, i, 1.0, x);
      rows.add(RowFactory.create(Vectors.dense(x.clone()), y));
    }
    StructType schema = new StructType(new StructField[] {
        new StructField("features", new VectorUDT(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
    return MlFixtures.spark().createDataFrame(rows, schema).repartition(4);
  }

  private static MultilayerPerceptronRegressor localAdam() {
    return new MultilayerPerceptronRegressor().setLayers(new int[] {10, 32, 32, 1})
        .setSolver("local-adam").setStepSize(0.003).setRegParam(1e-3).setMaxIter(60);
  }

  private static double r2(MultilayerPerceptronRegressionModel m, Dataset<Row> test) {
    return new RegressionEvaluator().setMetricName("r2").evaluate(m.transform(test));
  }

  @Test
  void localAdamReachesAGoodHeldOutR2OnFriedman() {
    Dataset<Row> train = friedman(0, 4000);
    Dataset<Row> test = friedman(1_000_000, 2000);
    MultilayerPerceptronRegressionModel m = localAdam().fit(train);
    double r2 = r2(m, test);
    // 4000 rows, 60 rounds of one local epoch (20 steps of 200 rows per partition): linear models
    // get about 0.72 here, the noise caps any model near 0.96.
    assertTrue(r2 > 0.90, "held-out R2 " + r2 + ", expected > 0.90");
    assertEquals(60, m.summary().totalIterations(), "rounds run");
  }

  @Test
  void aTableSortedByTheLabelTrainsAsWellAsTheSameRowsShuffled() {
    Dataset<Row> train = friedman(0, 4000);
    Dataset<Row> test = friedman(1_000_000, 2000);
    double shuffled = r2(localAdam().fit(train), test);
    // two input partitions, the lower and the upper half of the label's range
    double sorted = r2(localAdam().fit(train.orderBy("label").coalesce(2)), test);
    assertEquals(shuffled, sorted, 0.005, "held-out R2 of the label-sorted input against the"
        + " shuffled one (" + shuffled + ")");
  }
}
