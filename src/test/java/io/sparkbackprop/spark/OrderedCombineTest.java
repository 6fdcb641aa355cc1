package io.sparkbackprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.optim.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;

/**
 * The ordered combine with partitions grouped into tasks: the bits of the fixed-shape tree (shape
 * from the partition count and depth alone), whatever the task grouping, and few tasks.
 */
class OrderedCombineTest {
  /** A small network; the rows and labels are DistributedObjectiveTest's. */
  private static final Network NET =
      Network.of(new int[] {3, 4, 1}, new Activation[] {Activation.RELU, Activation.IDENTITY});

  /**
   * The tree written out independently of DistributedObjective: partition sums, then levels of
   * groups of fanIn consecutive sums (each in index order) while depth > 1 and more than fanIn
   * plus the group count remain, then the rest in index order.
   */
  private static double[] treeSum(List<List<Block>> parts, int depth, double[] w) {
    List<double[]> level = new ArrayList<>();
    for (List<Block> p : parts) {
      level.add(GradientSum.ofPartition(NET, Weights.of(w, Precision.DOUBLE), p.iterator()));
    }
    int fanIn = Math.max((int) Math.ceil(Math.pow(level.size(), 1.0 / depth)), 2);
    for (int d = depth; d > 1; d--) {
      int count = level.size();
      int groups = (count + fanIn - 1) / fanIn;
      if (count <= fanIn + groups) {
        break;
      }
      List<double[]> next = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        double[] acc = level.get(g * fanIn).clone();
        for (int i = g * fanIn + 1; i < Math.min(count, (g + 1) * fanIn); i++) {
          GradientSum.addInto(acc, level.get(i));
        }
        next.add(acc);
      }
      level = next;
    }
    double[] acc = level.get(0).clone();
    for (int i = 1; i < level.size(); i++) {
      GradientSum.addInto(acc, level.get(i));
    }
    return acc;
  }

  @Test
  void groupedOrderedCombineGivesTheTreesBitsAndTheSingleThreadedSum() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = DistributedObjectiveTest.rows(700, 9);
    double[] y = DistributedObjectiveTest.labels(x);
    double[] w = NET.initialWeights(4);
    int size = NET.size();
    for (int partitions : new int[] {1, 2, 7, 64, 257}) {
      JavaRDD<Block> b = DistributedObjectiveTest.blocks(sc, x, y, partitions, 2);
      List<List<Block>> parts = b.glom().collect();
      assertEquals(partitions, parts.size(), "partitions of the test blocks");
      List<Block> all = new ArrayList<>();
      parts.forEach(all::addAll);
      double[] plain = GradientSum.ofPartition(NET, Weights.of(w, Precision.DOUBLE), all.iterator());
      for (int depth = 1; depth <= 3; depth++) {
        double[] tree = treeSum(parts, depth, w);
        String where = partitions + " partitions, depth " + depth;
        Objective.Value first = null;
        for (int cores : new int[] {0, 1, 3, 50}) {
          Objective.Value v = new DistributedObjective(sc, b, NET, depth, Combine.ORDERED)
              .withCores(cores).evaluate(w, 1, "test");
          assertEquals(x.length, v.rows(), where + ": rows");
          for (int i = 0; i < size; i++) {
            assertEquals(tree[i] / x.length, v.gradient()[i], 0.0,
                where + ", planned for " + cores + " cores: gradient " + i
                    + " is not the fixed tree's");
            assertEquals(plain[i] / x.length, v.gradient()[i],
                1e-12 * Math.max(1, Math.abs(plain[i] / x.length)),
                where + ": gradient " + i + " against the single-threaded sum");
          }
          assertEquals(tree[size] / x.length, v.objective(), 0.0, where + ": loss not the tree's");
          if (first == null) {
            first = v;
          } else {
            assertArrayEquals(first.gradient(), v.gradient(), 0.0,
                where + ": the task grouping changed the bits");
          }
        }
      }
      b.unpersist(true);
    }
  }

  @Test
  void manyPartitionsRunInAFewTasksPerCore() throws Exception {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = DistributedObjectiveTest.rows(600, 2);
    double[] y = DistributedObjectiveTest.labels(x);
    double[] w = NET.initialWeights(1);
    JavaRDD<Block> b = DistributedObjectiveTest.blocks(sc, x, y, 256, 4);
    AtomicInteger tasks = new AtomicInteger();
    SparkListener counter = new SparkListener() {
      @Override public void onTaskEnd(SparkListenerTaskEnd e) {
        tasks.incrementAndGet();
      }
    };
    try {
      for (int depth = 1; depth <= 3; depth++) {
        sc.sc().listenerBus().waitUntilEmpty();
        sc.sc().addSparkListener(counter);
        new DistributedObjective(sc, b, NET, depth, Combine.ORDERED).withCores(2)
            .evaluate(w, 1, "test");
        sc.sc().listenerBus().waitUntilEmpty();
        sc.sc().removeSparkListener(counter);
        // depth 1: 4 tasks of 64 partitions; depth 2: 16 groups of 16 in 4 tasks; depth 3: 37
        // groups of 7 in 4 tasks, then one shuffle level of 6 groups.
        int expected = depth == 3 ? 4 + 6 : 4;
        assertEquals(expected, tasks.getAndSet(0), "tasks of one pass over 256 partitions,"
            + " depth " + depth + ", planned for 2 cores");
      }
    } finally {
      sc.sc().removeSparkListener(counter);
      b.unpersist(true);
    }
  }

  @Test
  void sparkTreeStillAgrees() {
    JavaSparkContext sc = SparkTestSession.context();
    double[][] x = DistributedObjectiveTest.rows(300, 5);
    double[] y = DistributedObjectiveTest.labels(x);
    double[] w = NET.initialWeights(3);
    JavaRDD<Block> b = DistributedObjectiveTest.blocks(sc, x, y, 64, 3);
    Objective.Value ordered = new DistributedObjective(sc, b, NET, 2, Combine.ORDERED)
        .evaluate(w, 1, "test");
    Objective.Value tree = new DistributedObjective(sc, b, NET, 2, Combine.SPARK_TREE)
        .evaluate(w, 1, "test");
    b.unpersist(true);
    assertArrayEquals(ordered.gradient(), tree.gradient(), 1e-12, "spark-tree against ordered");
    assertTrue(ordered.rows() == tree.rows(), "rows differ");
  }
}
