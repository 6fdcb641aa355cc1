package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Driver side: one evaluation of the objective J(w) = (1/n) sum (y - yhat)^2 and its gradient over
 * the cached blocks. Each call broadcasts w, runs backprop on every partition (executors SUM), combines
 * the partition sums, divides by the global row count ONCE, and destroys its broadcast.
 */
public final class DistributedObjective {
  /** J(w), its gradient g = dJ/dw (the mean over rows), and the row count n. */
  public record Value(double objective, double[] gradient, long rows) {}

  private final JavaSparkContext sc;
  private final JavaRDD<Block> blocks;
  private final Network net;
  private final int treeDepth;
  private final Combine combine;

  public DistributedObjective(JavaSparkContext sc, JavaRDD<Block> blocks, Network net, int treeDepth,
      Combine combine) {
    this.sc = sc;
    this.blocks = blocks;
    this.net = net;
    this.treeDepth = Math.max(1, treeDepth);
    this.combine = combine;
  }

  /**
   * @param w weights (not modified)
   * @param description shown as the Spark job's description (e.g. "train iteration 3/100")
   */
  public Value evaluate(double[] w, String description) {
    sc.setJobDescription(description);
    Broadcast<double[]> bw = sc.broadcast(w);
    try {
      double[] sum = combine == Combine.ORDERED ? orderedSum(bw) : sparkTreeSum(bw);
      int size = net.size();
      long n = Math.round(sum[size + 1]);
      double[] g = new double[size];
      for (int i = 0; i < size; i++) {
        g[i] = sum[i] / n;
      }
      return new Value(sum[size] / n, g, n);
    } finally {
      bw.destroy();
      sc.setJobDescription(null);
    }
  }

  private double[] sparkTreeSum(Broadcast<double[]> bw) {
    Network network = net;
    JavaRDD<double[]> parts = blocks.mapPartitions(
        it -> Collections.singletonList(GradientSum.ofPartition(network, bw.value(), it)).iterator());
    // The zero is an empty array, so no full-size zero is shipped to every task.
    return parts.treeAggregate(new double[0], DistributedObjective::merge,
        DistributedObjective::merge, treeDepth);
  }

  private static double[] merge(double[] a, double[] b) {
    if (a.length == 0) {
      return b;
    }
    if (b.length == 0) {
      return a;
    }
    return GradientSum.addInto(a, b);
  }

  /**
   * Fixed-shape tree: level by level, partition (or group) i goes to group i / fanIn, and each
   * group sums its members in index order; the driver sums the last level in index order.
   */
  private double[] orderedSum(Broadcast<double[]> bw) {
    Network network = net;
    JavaRDD<Tuple2<Integer, double[]>> level = blocks.mapPartitionsWithIndex((p, it) ->
        Collections.singletonList(new Tuple2<>(p, GradientSum.ofPartition(network, bw.value(), it)))
            .iterator(), true);
    int count = blocks.getNumPartitions();
    int fanIn = Math.max((int) Math.ceil(Math.pow(count, 1.0 / treeDepth)), 2);
    int depth = treeDepth;
    while (depth > 1 && count > fanIn + (count + fanIn - 1) / fanIn) {
      int groups = (count + fanIn - 1) / fanIn;
      int f = fanIn;
      level = level.mapToPair(t -> new Tuple2<>(t._1() / f, t))
          .groupByKey(new HashPartitioner(groups))
          .map(g -> new Tuple2<>(g._1(), sumInOrder(g._2())));
      count = groups;
      depth--;
    }
    List<Tuple2<Integer, double[]>> last = level.collect();
    return sumInOrder(last);
  }

  private static double[] sumInOrder(Iterable<Tuple2<Integer, double[]>> parts) {
    List<Tuple2<Integer, double[]>> list = new ArrayList<>();
    parts.forEach(list::add);
    list.sort(Comparator.comparing(Tuple2::_1));
    double[] acc = list.get(0)._2().clone();
    for (int i = 1; i < list.size(); i++) {
      GradientSum.addInto(acc, list.get(i)._2());
    }
    return acc;
  }
}
