package io.sparkbackprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.ReferenceTrainer;
import io.sparkbackprop.optim.GradientDescent;
import io.sparkbackprop.optim.Solver;
import io.sparkbackprop.errors.TrainingFailed;
import io.sparkbackprop.optim.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** The training loop over the distributed objective: equal to the reference, reproducible, bounded. */
class DistributedObjectiveTest {
  private static final Network NET =
      Network.of(new int[] {3, 5, 4, 1}, new Activation[] {Activation.TANH, Activation.SIGMOID,
          Activation.IDENTITY});

  /** Rows of a smooth target; row i is rows[i]. */
  static double[][] rows(int n, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][3];
    for (double[] row : x) {
      for (int j = 0; j < 3; j++) {
        row[j] = r.nextGaussian();
      }
    }
    return x;
  }

  static double[] labels(double[][] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.sin(x[i][0]) + 0.5 * x[i][1] * x[i][2];
    }
    return y;
  }

  /**
   * The rows cut into {@code partitions} contiguous partitions, each into blocks of up to
   * {@code blockSize} rows, cached.
   */
  static JavaRDD<Block> blocks(JavaSparkContext sc, double[][] x, double[] y, int partitions,
      int blockSize) {
    int n = x.length;
    int d = x[0].length;
    List<List<Block>> parts = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      List<Block> part = new ArrayList<>();
      int lo = (int) ((long) n * p / partitions);
      int hi = (int) ((long) n * (p + 1) / partitions);
      for (int s = lo; s < hi; s += blockSize) {
        int m = Math.min(blockSize, hi - s);
        double[] bx = new double[m * d];
        double[] by = new double[m];
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < d; j++) {
            bx[j * m + i] = x[s + i][j];
          }
          by[i] = y[s + i];
        }
        part.add(new Block.Doubles(m, bx, by));
      }
      parts.add(part);
    }
    // parallelize() of P elements into P slices puts exactly one list in each partition.
    return sc.parallelize(parts, partitions)
        .flatMap(List::iterator)
        .persist(StorageLevel.MEMORY_ONLY());
  }

  private static double[] train(JavaSparkContext sc, JavaRDD<Block> blocks, double[] w0, double lr,
      int iterations, Combine combine) {
    DistributedObjective obj = new DistributedObjective(sc, blocks, NET, 2, combine);
    return TrainingLoop.train(obj, NET, w0, new Solver.Steps(new GradientDescent(lr)),
        TrainingLoop.Settings.iterations(iterations), null, null, null, null, "").weights();
  }

  @Test
  void sparkTrainingOn1And3And7PartitionsEqualsTheReferenceTrainer() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = rows(203, 7);
    double[] y = labels(x);
    double[] w0 = NET.initialWeights(11);
    double[] expected = ReferenceTrainer.gradientDescent(NET, x, y, w0, 0.2, 20);
    for (int partitions : new int[] {1, 3, 7}) {
      JavaRDD<Block> b = blocks(sc, x, y, partitions, 16);
      double[] got = train(sc, b, w0, 0.2, 20, Combine.ORDERED);
      b.unpersist(true);
      double maxRel = 0;
      for (int i = 0; i < got.length; i++) {
        maxRel = Math.max(maxRel, Math.abs(got[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-300));
      }
      assertTrue(maxRel <= 1e-10, partitions + " partitions: max relative difference " + maxRel
          + " from the reference trainer, expected <= 1e-10");
      assertTrue(!java.util.Arrays.equals(got, w0), "weights did not move");
    }
  }

  @Test
  void sameSeedAndPartitioningGiveBitwiseTheSameWeights() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = rows(500, 3);
    double[] y = labels(x);
    JavaRDD<Block> b = blocks(sc, x, y, 7, 8);
    double[] w0 = NET.initialWeights(5);
    double[] first = train(sc, b, w0, 0.1, 15, Combine.ORDERED);
    double[] second = train(sc, b, w0, 0.1, 15, Combine.ORDERED);
    b.unpersist(true);
    assertArrayEquals(first, second, 0.0, "two runs with the same seed and partitioning differ");
  }

  @Test
  void sparkTreeAggregateAgreesWithOrderedCombination() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = rows(300, 4);
    double[] y = labels(x);
    JavaRDD<Block> b = blocks(sc, x, y, 9, 10);
    double[] w0 = NET.initialWeights(2);
    double[] ordered = train(sc, b, w0, 0.1, 10, Combine.ORDERED);
    double[] tree = train(sc, b, w0, 0.1, 10, Combine.SPARK_TREE);
    b.unpersist(true);
    assertArrayEquals(ordered, tree, 1e-12, "spark-tree and ordered combination disagree");
  }

  @Test
  void liveBroadcastBlocksStayBoundedOver200Iterations() throws Exception {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = rows(64, 9);
    double[] y = labels(x);
    JavaRDD<Block> b = blocks(sc, x, y, 2, 16);
    double[] w0 = NET.initialWeights(1);
    train(sc, b, w0, 0.05, 5, Combine.ORDERED);
    int before = broadcastBlocks();
    train(sc, b, w0, 0.05, 200, Combine.ORDERED);
    int after = broadcastBlocks();
    // Control: the count does see broadcasts that are kept alive (each is 2 blocks: value, piece).
    List<org.apache.spark.broadcast.Broadcast<double[]>> kept = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      org.apache.spark.broadcast.Broadcast<double[]> bc = sc.broadcast(w0);
      b.map(blk -> bc.value().length).count();
      kept.add(bc);
    }
    int leaked = broadcastBlocks();
    kept.forEach(org.apache.spark.broadcast.Broadcast::destroy);
    b.unpersist(true);
    // Spark's own per-job broadcasts (task binaries) go when the ContextCleaner sees them
    // collected; each of the 200 weight broadcasts would add 2 blocks if it were not destroyed.
    assertTrue(after <= before + 20, "live broadcast blocks grew from " + before + " to " + after
        + " over 200 iterations");
    assertTrue(leaked >= after + 60, "the control's 30 live broadcasts were not seen: " + after
        + " -> " + leaked);
  }

  /** Live broadcast blocks, after giving the ContextCleaner a chance to drop collected ones. */
  private static int broadcastBlocks() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    scala.collection.Seq<BlockId> ids = SparkEnv.get().blockManager().master()
        .getMatchingBlockIds(new scala.runtime.AbstractFunction1<BlockId, Object>() {
          @Override
          public Object apply(BlockId id) {
            return id.isBroadcast();
          }
        }, true);
    return ids.size();
  }

  @Test
  void divergenceStopsWithAClearMessage() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = rows(50, 1);
    double[] y = labels(x);
    for (int i = 0; i < y.length; i++) {
      y[i] *= 1e6;
    }
    JavaRDD<Block> b = blocks(sc, x, y, 2, 16);
    Network lin = Network.of(new int[] {3, 1}, new Activation[] {Activation.IDENTITY});
    DistributedObjective obj = new DistributedObjective(sc, b, lin, 2, Combine.ORDERED);
    TrainingFailed e = assertThrows(TrainingFailed.class, () -> TrainingLoop.train(obj, lin,
        lin.initialWeights(1), new Solver.Steps(new GradientDescent(50.0)),
        TrainingLoop.Settings.iterations(1000), null, null, null, null, ""));
    b.unpersist(true);
    assertTrue(e.getMessage().contains("diverged at iteration")
        && e.getMessage().contains("smaller stepSize"), "message was: " + e.getMessage());
    assertEquals(TrainingFailed.Kind.DIVERGED, e.kind());
  }

  @Test
  void toleranceStopsEarlyAndSaysWhy() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = rows(80, 2);
    double[] y = labels(x);
    JavaRDD<Block> b = blocks(sc, x, y, 2, 16);
    DistributedObjective obj = new DistributedObjective(sc, b, NET, 2, Combine.ORDERED);
    TrainingLoop.Result r = TrainingLoop.train(obj, NET, NET.initialWeights(3),
        new Solver.Steps(new GradientDescent(0.1)),
        new TrainingLoop.Settings(10_000, 1e-3, 0, 0, 0, 0, 1), null, null, null, null, "");
    b.unpersist(true);
    assertTrue(r.iterations() < 10_000, "did not stop early");
    assertTrue(r.stopReason().startsWith("converged"), r.stopReason());
    double last = r.history().get(r.history().size() - 1).objective();
    double prev = r.history().get(r.history().size() - 2).objective();
    assertTrue(Math.abs(last - prev) / prev < 1e-3, "stopped although change was " + (prev - last));
    assertTrue(last < r.history().get(0).objective(), "objective did not fall");
    assertEquals(r.iterations(), r.history().size());
  }
}
