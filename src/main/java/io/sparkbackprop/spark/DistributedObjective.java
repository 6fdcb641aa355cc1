package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.optim.Objective;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Driver side: one evaluation of the objective J(w) = (1/n) sum (y - yhat)^2 and its gradient over
 * the cached blocks. Each call broadcasts w, runs backprop on every partition (executors SUM),
 * combines the partition sums, divides by the global row count ONCE, and destroys its broadcast.
 * With row weights (weightCol) J(w) = sum_i w_i (y_i - yhat_i)^2 / sum_i w_i: the executors sum
 * w_i along with the weighted losses and gradients, and the one division is by the weight sum
 * (which is the row count when there are no weights, so unweighted results keep their bits).
 */
public final class DistributedObjective implements Objective {
  private final JavaSparkContext sc;
  private final JavaRDD<Block> blocks;
  private final Network net;
  private final int treeDepth;
  private final Combine combine;
  private final double fraction;
  private final long seed;
  private final Precision precision;
  /** Cores the ordered combine plans its tasks for; 0: as many as Spark reports. */
  private int cores;

  public DistributedObjective(JavaSparkContext sc, JavaRDD<Block> blocks, Network net, int treeDepth,
      Combine combine) {
    this(sc, blocks, net, treeDepth, combine, 1.0, 0L, Precision.DOUBLE);
  }

  /**
   * @param fraction the share of rows in each iteration's Bernoulli sample (1: every row, full
   *     batch); the sample of partition p at iteration t is drawn from (seed, t, p) alone
   * @param precision the blocks' precision: the weights are broadcast in it ({@link Weights})
   */
  public DistributedObjective(JavaSparkContext sc, JavaRDD<Block> blocks, Network net, int treeDepth,
      Combine combine, double fraction, long seed, Precision precision) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("the sampled fraction must be in (0, 1], got " + fraction);
    }
    this.sc = sc;
    this.blocks = blocks;
    this.net = net;
    this.treeDepth = Math.max(1, treeDepth);
    this.combine = combine;
    this.fraction = fraction;
    this.seed = seed;
    this.precision = precision;
  }

  /**
   * J(w) and g over the blocks, or over iteration t's Bernoulli sample of their rows when the
   * fraction is below 1 ({@link RowSample}: the stream of partition p at iteration t derives from
   * (seed, t, p) alone); then J and g are the mean over the sampled rows, and rows their count,
   * which may be 0.
   *
   * @param w weights (not modified)
   * @param description shown as the Spark job's description (e.g. "train iteration 3/100")
   */
  @Override
  public Value evaluate(double[] w, int t, String description) {
    sc.setJobDescription(description);
    Broadcast<Weights> bw = sc.broadcast(Weights.of(w, precision));
    try {
      JavaRDD<Block> source = blocks;
      if (fraction < 1.0) {
        double f = fraction;
        long s = seed;
        source = blocks.mapPartitionsWithIndex((p, it) -> RowSample.sample(it, f, s, t, p), true);
      }
      Network network = net;
      double[] sum = sum(source, (p, it) -> GradientSum.ofPartition(network, bw.value(), it));
      int size = net.size();
      long n = Math.round(sum[size + 1]);
      double weight = sum[size + 2];
      double[] g = new double[size];
      for (int i = 0; i < size; i++) {
        g[i] = sum[i] / weight;
      }
      return new Value(sum[size] / weight, g, n);
    } finally {
      bw.destroy();
      sc.setJobDescription(null);
    }
  }

  /**
   * What a task computes from partition p's blocks: an array of the same length for every
   * partition, which the combination sums element-wise ({@link GradientSum}'s sums, or a round of
   * {@link LocalRounds}).
   */
  interface PartitionFunction extends Serializable {
    double[] apply(int partition, java.util.Iterator<Block> blocks);
  }

  /** The element-wise sum of f over the partitions of {@code blocks}, by the combine mode. */
  double[] sum(JavaRDD<Block> blocks, PartitionFunction f) {
    return combine == Combine.ORDERED ? orderedSum(blocks, f) : sparkTreeSum(blocks, f);
  }

  private double[] sparkTreeSum(JavaRDD<Block> blocks, PartitionFunction f) {
    JavaRDD<double[]> parts = blocks.mapPartitionsWithIndex(
        (p, it) -> Collections.singletonList(f.apply(p, it)).iterator(), true);
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
   * Fixed-shape tree. Its shape depends on the partition count P and the depth alone: fanIn =
   * max(ceil(P^(1/depth)), 2); while depth > 1 and more than fanIn plus the group count remain, a
   * level puts partition (or group) i into group i / fanIn and sums each group's members in index
   * order; the driver sums the last level in index order. With few partitions (at most fanIn plus
   * the group count) or depth 1 there is no level: the driver sums the partition arrays in
   * partition order.
   *
   * <p>Where it runs does not change the bits. Partitions are handed to tasks in runs of
   * consecutive indices ({@link Runs}, about {@value #TASKS_PER_CORE} tasks per core Spark reports):
   * a run is made of whole first-level groups, so each task sums its groups itself, in index order,
   * and returns one array per group instead of one per partition (the first level costs no shuffle
   * and no result per partition); without a level each task returns its partitions' arrays. Later
   * levels are shuffles as before. The runs follow the tree, never the tree the runs.
   */
  private double[] orderedSum(JavaRDD<Block> blocks, PartitionFunction fn) {
    int count = blocks.getNumPartitions();
    int fanIn = fanIn(count, treeDepth);
    boolean level = treeDepth > 1 && count > fanIn + (count + fanIn - 1) / fanIn;
    int unit = level ? fanIn : 1;
    int units = (count + unit - 1) / unit;
    int perTask = (units + TASKS_PER_CORE * parallelism() - 1) / (TASKS_PER_CORE * parallelism());
    if (!level && perTask <= 1) {
      List<double[]> parts = runOnPartitions(blocks, new PartitionSum(fn));
      double[] acc = parts.get(0).clone();
      for (int i = 1; i < parts.size(); i++) {
        GradientSum.addInto(acc, parts.get(i));
      }
      return acc;
    }
    JavaRDD<Tuple2<Integer, double[]>> sums = blocks.mapPartitionsWithIndex((p, it) ->
        Collections.singletonList(new Tuple2<>(p, fn.apply(p, it))).iterator(), true);
    int tasks = (units + perTask - 1) / perTask;
    int span = perTask * unit;
    // A level's groups must each lie in one task, even when every task holds a single group.
    JavaRDD<Tuple2<Integer, double[]>> first = span <= 1 ? sums
        : JavaRDD.fromRDD(sums.rdd().coalesce(tasks, false,
            scala.Option.<org.apache.spark.rdd.PartitionCoalescer>apply(new Runs(span)), null),
            sums.classTag());
    int u = unit;
    JavaRDD<Tuple2<Integer, double[]>> current = first.mapPartitions(it -> new GroupSums(it, u));
    int depth = treeDepth - (level ? 1 : 0);
    count = units;
    while (depth > 1 && count > fanIn + (count + fanIn - 1) / fanIn) {
      int groups = (count + fanIn - 1) / fanIn;
      int f = fanIn;
      current = current.mapToPair(t -> new Tuple2<>(t._1() / f, t))
          .groupByKey(new HashPartitioner(groups))
          .map(g -> new Tuple2<>(g._1(), sumInOrder(g._2())));
      count = groups;
      depth--;
    }
    List<Tuple2<Integer, double[]>> last = new ArrayList<>();
    runOnPartitions(current, new CollectPartition<Tuple2<Integer, double[]>>())
        .forEach(last::addAll);
    return sumInOrder(last);
  }

  /** Tasks per core that the ordered combine aims at (a few, so that a slow task can be waited out). */
  static final int TASKS_PER_CORE = 2;

  /** The tree's fan-in for {@code count} partitions and depth {@code depth}. */
  static int fanIn(int count, int depth) {
    return Math.max((int) Math.ceil(Math.pow(count, 1.0 / Math.max(1, depth))), 2);
  }

  private int parallelism() {
    return Math.max(1, cores > 0 ? cores : sc.defaultParallelism());
  }

  /**
   * Plans the ordered combine's tasks for this many cores instead of those Spark reports (0: as
   * Spark reports); it changes where the tree's sums run, never the sums. For tests.
   */
  DistributedObjective withCores(int cores) {
    this.cores = cores;
    return this;
  }

  /**
   * Sums of consecutive elements (index, array) whose index / unit is the same, in the order they
   * come (index order): (group, sum) with sum = a_first + ... in index order, as
   * {@link #sumInOrder} adds them. The arrays are the partitions' own and are summed in place.
   */
  private static final class GroupSums implements java.util.Iterator<Tuple2<Integer, double[]>> {
    private final java.util.Iterator<Tuple2<Integer, double[]>> in;
    private final int unit;
    private Tuple2<Integer, double[]> pending;

    GroupSums(java.util.Iterator<Tuple2<Integer, double[]>> in, int unit) {
      this.in = in;
      this.unit = unit;
      pending = in.hasNext() ? in.next() : null;
    }

    @Override public boolean hasNext() {
      return pending != null;
    }

    @Override public Tuple2<Integer, double[]> next() {
      if (pending == null) {
        throw new java.util.NoSuchElementException();
      }
      int group = pending._1() / unit;
      double[] acc = pending._2();
      pending = null;
      while (in.hasNext()) {
        Tuple2<Integer, double[]> t = in.next();
        if (t._1() / unit != group) {
          pending = t;
          break;
        }
        GradientSum.addInto(acc, t._2());
      }
      return new Tuple2<>(group, acc);
    }
  }

  /**
   * Puts partitions [k * span, (k + 1) * span) into task k, in index order: a shape that depends
   * on the partition count and span alone. Each run prefers the host (or executor) that caches
   * most of its partitions (ties: the first in name order); that only decides where it runs.
   */
  static final class Runs implements org.apache.spark.rdd.PartitionCoalescer, Serializable {
    private static final long serialVersionUID = 1L;
    private final int span;

    Runs(int span) {
      this.span = span;
    }

    @Override public org.apache.spark.rdd.PartitionGroup[] coalesce(int maxPartitions,
        org.apache.spark.rdd.RDD<?> parent) {
      org.apache.spark.Partition[] parts = parent.partitions();
      int n = (parts.length + span - 1) / span;
      org.apache.spark.rdd.PartitionGroup[] out = new org.apache.spark.rdd.PartitionGroup[n];
      for (int k = 0; k < n; k++) {
        java.util.TreeMap<String, Integer> votes = new java.util.TreeMap<>();
        int end = Math.min(parts.length, (k + 1) * span);
        for (int i = k * span; i < end; i++) {
          scala.collection.Iterator<org.apache.spark.scheduler.TaskLocation> locs =
              parent.context().getPreferredLocs(parent, i).iterator();
          while (locs.hasNext()) {
            votes.merge(locs.next().toString(), 1, Integer::sum);
          }
        }
        String best = null;
        for (var e : votes.entrySet()) {
          if (best == null || e.getValue() > votes.get(best)) {
            best = e.getKey();
          }
        }
        out[k] = new org.apache.spark.rdd.PartitionGroup(scala.Option.apply(best));
        for (int i = k * span; i < end; i++) {
          out[k].partitions().addOne(parts[i]);
        }
      }
      return out;
    }
  }

  /**
   * One job that applies {@code f} to every partition; the results in partition order. This is
   * {@code collect()} without its cost: collect hands {@code SparkContext.runJob} a Scala closure of
   * its own, which Spark's ClosureCleaner re-reads from its class file with ASM on every job (a
   * quarter of the driver's CPU time on a 1-row dataset, by JFR); an instance of a named class is
   * not a closure to it.
   */
  @SuppressWarnings("unchecked")
  private <T, U> List<U> runOnPartitions(JavaRDD<T> rdd,
      AbstractFunction2<TaskContext, scala.collection.Iterator<T>, U> f) {
    Object results = sc.sc().runJob(rdd.rdd(), f, ClassTag$.MODULE$.apply(Object.class));
    List<U> out = new ArrayList<>();
    for (Object r : (Object[]) results) {
      out.add((U) r);
    }
    return out;
  }

  /** Executor side of one ordered pass: the partition's function (e.g. its {@link GradientSum}). */
  private static final class PartitionSum
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<Block>, double[]>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final PartitionFunction f;

    PartitionSum(PartitionFunction f) {
      this.f = f;
    }

    @Override public double[] apply(TaskContext context, scala.collection.Iterator<Block> blocks) {
      return f.apply(context.partitionId(), CollectionConverters.asJava(blocks));
    }
  }

  /** A partition's elements as a list. */
  private static final class CollectPartition<T>
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<T>, List<T>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override public List<T> apply(TaskContext context, scala.collection.Iterator<T> it) {
      List<T> out = new ArrayList<>();
      while (it.hasNext()) {
        out.add(it.next());
      }
      return out;
    }
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
