package io.sparkbackprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.RowBackprop;
import io.sparkbackprop.optim.Checkpoint;
import io.sparkbackprop.optim.Solver;
import io.sparkbackprop.optim.TrainingLoop;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** local-adam on Spark: equal to the plain reference, bitwise repeatable, resumable, float mode. */
class LocalRoundsTest {
  private static final Network NET =
      Network.of(new int[] {3, 5, 4, 1}, new Activation[] {Activation.TANH, Activation.SIGMOID,
          Activation.IDENTITY});

  private static LocalRounds.Settings settings(double l2, int batch) {
    return new LocalRounds.Settings(new LocalRounds.Inner("adam", "constant", 0.01, 0.5, 0.5, 1,
        0.9, 0.999, 1e-8, 0, false), batch, 0, l2, 0, 5L);
  }

  private static TrainingLoop.Result train(JavaRDD<Block> blocks, double[] w0,
      LocalRounds.Settings s, int rounds, int cores, Checkpoint.Store store, Checkpoint resume) {
    JavaSparkContext sc = SparkTestSession.context();
    LocalRounds local = new LocalRounds(sc, blocks, NET, 2, Combine.ORDERED, s).withCores(cores);
    return TrainingLoop.train(null, NET, w0, new Solver.Local(local),
        new TrainingLoop.Settings(rounds, 0, 0, 0, 0, 0, 2), null, null, store, resume, "run");
  }

  /** Rows [n p / P, n (p + 1) / P) of x: the contiguous share of DistributedObjectiveTest.blocks. */
  private static double[][] share(double[][] x, int p, int partitions) {
    int n = x.length;
    return Arrays.copyOfRange(x, (int) ((long) n * p / partitions),
        (int) ((long) n * (p + 1) / partitions));
  }

  private static double[] share(double[] y, int p, int partitions) {
    int n = y.length;
    return Arrays.copyOfRange(y, (int) ((long) n * p / partitions),
        (int) ((long) n * (p + 1) / partitions));
  }

  private static double maxRelative(double[] expected, double[] got) {
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(got[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-12));
    }
    return max;
  }

  @Test
  void sparkOn1And3PartitionsEqualsThePlainReference() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = DistributedObjectiveTest.rows(203, 7);
    double[] y = DistributedObjectiveTest.labels(x);
    double[] w0 = NET.initialWeights(11);
    for (int partitions : new int[] {1, 3}) {
      double[][][] rows = new double[partitions][][];
      double[][] labels = new double[partitions][];
      for (int p = 0; p < partitions; p++) {
        rows[p] = share(x, p, partitions);
        labels[p] = share(y, p, partitions);
      }
      // batches of 10 over blocks of 16: mini-batches gather rows from several blocks
      double[] expected = LocalReference.adam(NET, rows, labels, w0, 0.01, 1e-3, 10, 5L, 4);
      JavaRDD<Block> b = DistributedObjectiveTest.blocks(sc, x, y, partitions, 16);
      double[] got = train(b, w0, settings(1e-3, 10), 4, 0, null, null).weights();
      b.unpersist(true);
      double rel = maxRelative(expected, got);
      assertTrue(rel <= 1e-9, partitions + " partitions: max relative difference " + rel
          + " from the reference, expected <= 1e-9");
      assertTrue(maxRelative(w0, got) > 1e-3, "the weights hardly moved");
    }
  }

  @Test
  void sameSeedAndPartitioningGiveBitwiseTheSameWeightsWhereverTheTreeRuns() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = DistributedObjectiveTest.rows(500, 3);
    double[] y = DistributedObjectiveTest.labels(x);
    JavaRDD<Block> b = DistributedObjectiveTest.blocks(sc, x, y, 7, 8);
    double[] w0 = NET.initialWeights(5);
    double[] first = train(b, w0, settings(0, 16), 5, 0, null, null).weights();
    double[] second = train(b, w0, settings(0, 16), 5, 0, null, null).weights();
    double[] oneCore = train(b, w0, settings(0, 16), 5, 1, null, null).weights();
    LocalRounds.Settings otherSeed = new LocalRounds.Settings(settings(0, 16).inner(), 16, 0, 0, 0,
        6L);
    double[] reseeded = train(b, w0, otherSeed, 5, 0, null, null).weights();
    b.unpersist(true);
    assertArrayEquals(first, second, "two runs with the same seed and partitioning");
    assertArrayEquals(first, oneCore, "the tree planned for 1 core instead of 2");
    assertFalse(Arrays.equals(first, reseeded), "another seed gave the same weights");
  }

  @Test
  void resumingFromAMidRunCheckpointGivesTheUninterruptedWeightsBitForBit() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = DistributedObjectiveTest.rows(300, 9);
    double[] y = DistributedObjectiveTest.labels(x);
    JavaRDD<Block> b = DistributedObjectiveTest.blocks(sc, x, y, 3, 32);
    double[] w0 = NET.initialWeights(2);
    TrainingLoop.Result whole = train(b, w0, settings(0, 20), 6, 0, null, null);
    MemoryStore store = new MemoryStore();
    train(b, w0, settings(0, 20), 3, 0, store, null); // checkpoint after round 2; stops after 3
    Checkpoint saved = store.read();
    assertNotNull(saved, "no checkpoint written");
    assertEquals(2, saved.iteration(), "the checkpoint's round");
    TrainingLoop.Result resumed = train(b, w0, settings(0, 20), 6, 0, null, saved);
    b.unpersist(true);
    assertArrayEquals(whole.weights(), resumed.weights(), "resumed after round 2");
    assertEquals(whole.history(), resumed.history().stream()
        .map(it -> new io.sparkbackprop.optim.Iteration(it.iteration(), it.objective(),
            it.gradientNorm(), whole.history().get(it.iteration() - 1).seconds(),
            it.validationRmse())).toList(), "the history but for the seconds");
    assertEquals(2, resumed.resumedAfter(), "resumed after");
  }

  @Test
  void floatModeRunsTheFloatKernelCloseToDoubleAndRepeats() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = DistributedObjectiveTest.rows(400, 4);
    double[] y = DistributedObjectiveTest.labels(x);
    JavaRDD<Block> d = DistributedObjectiveTest.blocks(sc, x, y, 3, 32);
    JavaRDD<Block> f = d.map(blk -> (Block) Block.Floats.of((Block.Doubles) blk))
        .persist(StorageLevel.MEMORY_ONLY());
    double[] w0 = NET.initialWeights(3);
    double[] wd = train(d, w0, settings(0, 25), 5, 0, null, null).weights();
    double[] wf = train(f, w0, settings(0, 25), 5, 0, null, null).weights();
    double[] wf2 = train(f, w0, settings(0, 25), 5, 0, null, null).weights();
    d.unpersist(true);
    f.unpersist(true);
    assertArrayEquals(wf, wf2, "two float runs");
    assertFalse(Arrays.equals(wd, wf), "float mode gave the double weights: float kernel not used");
    double jd = mse(wd, x, y);
    double jf = mse(wf, x, y);
    double j0 = mse(w0, x, y);
    assertTrue(jd < 0.8 * j0, "double: training MSE " + jd + " from " + j0);
    assertEquals(jd, jf, 1e-3 * jd, "float's training MSE against double's");
  }

  /** Mean (y - yhat)^2 over the rows, by per-row forward passes. */
  private static double mse(double[] w, double[][] x, double[] y) {
    RowBackprop ref = new RowBackprop(NET);
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double r = y[i] - ref.forward(w, x[i])[0];
      s += r * r;
    }
    return s / x.length;
  }

  /** The newest checkpoint, in memory. */
  private static final class MemoryStore implements Checkpoint.Store {
    private Checkpoint last;

    @Override public void write(Checkpoint c) {
      last = c;
    }

    @Override public Checkpoint read() {
      return last;
    }

    @Override public String location() {
      return "memory";
    }
  }
}
