package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertNothingNewPersisted;
import static io.sparkbackprop.ml.MlFixtures.persisted;
import static io.sparkbackprop.ml.MlFixtures.persistedSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.optim.Iteration;
import io.sparkbackprop.errors.TrainingFailed;
import io.sparkbackprop.errors.DataException;
import io.sparkbackprop.spark.SparkTestSession;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/**
 * {@code fit} caches blocks of its own and releases them whatever happens; the caller's Dataset
 * stays cached or uncached as it was. The SparkContext is shared by every test of the JVM, so
 * each test looks for RDDs persisted since it began rather than for none at all.
 */
class CachingTest {
  /** Records the RDDs persisted while training runs, to show fit did cache something. */
  private static final class Watch implements TrainingListener {
    final Set<Integer> during = new TreeSet<>();

    @Override public void onIteration(Iteration it, int max) {
      if (it.iteration() == 1) {
        during.addAll(persisted());
      }
    }
  }

  @Test
  void fitLeavesNothingCachedAndCachedWhileItRan() {
    Set<Integer> before = persisted();
    Watch watch = new Watch();
    MultilayerPerceptronRegressor est = MlFixtures.small().setMaxIter(3)
        .setValidationFraction(0.2).setListener(watch);
    est.fit(MlFixtures.diabetesAssembled());
    Set<Integer> blocks = new TreeSet<>(watch.during);
    blocks.removeAll(before);
    assertEquals(2, blocks.size(), "RDDs fit held persisted while training (training and"
        + " validation blocks): " + blocks);
    assertNothingNewPersisted(before, "after fit");
  }

  @Test
  void theCallersCacheIsLeftAsItWas() {
    Set<Integer> uncached = persisted();
    Dataset<Row> df = MlFixtures.diabetesAssembled().persist(StorageLevel.MEMORY_ONLY());
    try {
      df.count();
      Set<Integer> callers = persistedSince(uncached);
      assertEquals(1, callers.size(), "RDDs the caller's cache holds: " + callers);
      Set<Integer> before = persisted();
      StorageLevel level = df.storageLevel();
      assertEquals(StorageLevel.MEMORY_ONLY(), level, "the caller's storage level");
      MlFixtures.small().setMaxIter(3).fit(df);
      assertEquals(level, df.storageLevel(), "the caller's storage level after fit");
      assertTrue(persisted().containsAll(callers), "the caller's cached RDD " + callers
          + " is no longer persisted: " + persisted());
      assertNothingNewPersisted(before, "after fit on a cached Dataset");
    } finally {
      df.unpersist(true);
    }
  }

  @Test
  void anUncachedDatasetStaysUncached() {
    Dataset<Row> df = MlFixtures.diabetesAssembled();
    Set<Integer> before = persisted();
    MlFixtures.small().setMaxIter(2).fit(df);
    assertEquals(StorageLevel.NONE(), df.storageLevel(), "storage level of the caller's Dataset");
    assertNothingNewPersisted(before, "after fit");
  }

  @Test
  void divergenceLeavesNothingCached() {
    Set<Integer> before = persisted();
    Watch watch = new Watch();
    MultilayerPerceptronRegressor est = MlFixtures.small().setStepSize(1e6).setMaxIter(30)
        .setStandardizeLabel(false).setListener(watch);
    TrainingFailed e = assertThrows(TrainingFailed.class,
        () -> est.fit(MlFixtures.diabetesAssembled()), "a step size of 1e6 did not diverge");
    assertEquals(TrainingFailed.Kind.DIVERGED, e.kind(), "kind; message: " + e.getMessage());
    assertTrue(e.getMessage().contains("diverged"), e.getMessage());
    watch.during.removeAll(before);
    assertFalse(watch.during.isEmpty(), "fit cached nothing before it diverged");
    assertNothingNewPersisted(before, "after a diverged fit");
  }

  @Test
  void aFailingListenerLeavesNothingCached() {
    Set<Integer> before = persisted();
    MultilayerPerceptronRegressor est = MlFixtures.small().setMaxIter(5).setListener((it, max) -> {
      if (it.iteration() == 2) {
        throw new IllegalStateException("listener gave up");
      }
    });
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> est.fit(MlFixtures.diabetesAssembled()));
    assertEquals("listener gave up", e.getMessage(), "the listener's exception comes through");
    assertNothingNewPersisted(before, "after a fit that failed in the listener");
  }

  @Test
  void badDataLeavesNothingCached() {
    Set<Integer> before = persisted();
    Dataset<Row> bad = MlFixtures.diabetesAssembled().withColumn("label",
        functions.when(functions.col("age").gt(65), functions.lit(Double.NaN))
            .otherwise(functions.col("label")));
    assertThrows(DataException.class, () -> MlFixtures.small().fit(bad));
    assertNothingNewPersisted(before, "after refused data");
    // No validation rows at all: refused after the first read.
    assertThrows(DataException.class, () -> MlFixtures.small().setValidationIndicatorCol("never")
        .fit(MlFixtures.diabetesAssembled().withColumn("never", functions.lit(false))));
    assertNothingNewPersisted(before, "after data without validation rows");
  }

  /** Label evaluations so far, across the tasks of this JVM (local mode). */
  private static final AtomicInteger READS = new AtomicInteger();

  @Test
  void aFailureAfterTheTrainingBlocksAreCachedReleasesThem() {
    // fit reads the source three times before training: to check it, for the training blocks
    // and for the validation blocks. The label below fails on the third read, when the training
    // blocks are already cached.
    Set<Integer> before = persisted();
    READS.set(0);
    UserDefinedFunction third = functions.udf((UDF1<Double, Double>) y -> {
      if (READS.incrementAndGet() > 2 * 442) {
        throw new IllegalStateException("the third read fails");
      }
      return y;
    }, DataTypes.DoubleType).asNondeterministic();
    Dataset<Row> df = MlFixtures.diabetesAssembled().withColumn("label",
        third.apply(functions.col("label")));
    MultilayerPerceptronRegressor est = MlFixtures.small().setMaxIter(2)
        .setValidationFraction(0.3);
    // A task failure: Spark throws its (checked) SparkException.
    Exception e = SparkTestSession.quietly(() -> assertThrows(Exception.class,
        () -> est.fit(df)), SparkTestSession.TASK_FAILURE_LOGGERS[0],
        SparkTestSession.TASK_FAILURE_LOGGERS[1], "org.apache.spark.storage.BlockManager");
    assertTrue(String.valueOf(e.getMessage()).contains("the third read fails"),
        "expected the UDF's failure, got: " + e);
    assertTrue(READS.get() > 2 * 442, "the failure came before the third read: " + READS.get()
        + " label reads");
    assertNothingNewPersisted(before, "after a fit that failed reading the validation rows");
  }
}
