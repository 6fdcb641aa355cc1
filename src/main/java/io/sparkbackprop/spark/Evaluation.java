package io.sparkbackprop.spark;

import io.sparkbackprop.errors.DataException;
import io.sparkbackprop.nn.Kernel;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.Metrics;
import io.sparkbackprop.nn.Scaling;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Regression metrics of a trained network: of labelled rows of a Dataset ({@link #evaluate}),
 * or of cached blocks (the validation monitor's pass, {@link #onBlocks}). Each partition
 * predicts blocks of rows with the training kernel and accumulates {@link Metrics} per output;
 * the driver merges them in partition order. One pass, one broadcast, destroyed before
 * returning.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Metrics of the valid rows (all outputs pooled, {@link Metrics#pooled}; for one output its
   * metrics), each output's, all rows read, rows left out.
   */
  public record Evaluated(Metrics metrics, long rows, long dropped, List<Metrics> outputs) {}

  /** What one partition learns: its rows' faults and each output's metrics of its valid rows. */
  private record Partial(RowFaults faults, Metrics[] metrics) implements Serializable {}

  /**
   * Metrics of the network on labelled rows in ONE distributed pass. Rows are checked by
   * {@link RowCheck}: rows with a null, NaN or infinite feature or label, or a null, NaN,
   * infinite or negative weight, are an error unless {@code skipInvalid}.
   *
   * @param weightCol row weights (null: none): the metrics weighted as {@link Metrics} says
   * @param names a name per feature value, for messages
   * @throws DataException bad data
   */
  public static Evaluated evaluate(Dataset<?> df, String featuresCol, String labelCol,
      String weightCol, List<String> names, Scorer scorer, int blockSize, boolean skipInvalid) {
    int d = scorer.net().inputWidth();
    int k = scorer.net().outputWidth();
    RowCheck check = RowCheck.labelled(df.schema(),
        new RowCheck.Names(featuresCol, labelCol, null, weightCol), d, k, null);
    JavaRDD<Row> input = check.select(df);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    sc.setJobDescription("evaluate: forward pass and metrics");
    Broadcast<Scorer> b = sc.broadcast(scorer);
    List<Partial> parts;
    try {
      parts = input.mapPartitionsWithIndex((p, it) -> List.of(
          partition(p, it, check, b.value(), blockSize)).iterator(), false).collect();
    } finally {
      b.destroy();
      sc.setJobDescription(null);
    }
    List<RowFaults> faults = new ArrayList<>();
    List<Metrics[]> metrics = new ArrayList<>();
    for (Partial p : parts) {
      faults.add(p.faults());
      metrics.add(p.metrics());
    }
    RowFaults all = RowFaults.merge(faults, d);
    Refusals.wrongLengths(check, all);
    List<Metrics> perOutput = merge(metrics, k);
    Metrics total = Metrics.pooled(perOutput);
    long bad = all.invalidRows;
    if (bad > 0 && !skipInvalid) {
      throw Refusals.invalidValues(check, names, all, false);
    }
    Refusals.noRowsToEvaluate(weightCol, total.n(), total.weight(), bad);
    return new Evaluated(total, all.rows, bad, perOutput);
  }

  /** One partition of {@link #evaluate}: its valid rows scored in blocks of {@code size}. */
  private static Partial partition(int partition, Iterator<Row> it, RowCheck check, Scorer m,
      int size) {
    RowFaults faults = new RowFaults(partition, check.d);
    Accumulator acc = new Accumulator(m, size, check.weighted());
    double[] v = new double[check.d + check.k];
    while (it.hasNext()) {
      Row r = it.next();
      if (check.check(r, v, faults) == RowCheck.Verdict.VALID) {
        acc.add(v, check.weight(r));
      }
    }
    return new Partial(faults, acc.metrics());
  }

  /** Each output's metrics of rows added one at a time, predicted a block of size rows at once. */
  private static final class Accumulator {
    private final Scorer m;
    private final Kernel fwd;
    private final int size;
    private final int d;
    private final Metrics.Builder[] acc;
    private final double[] x;
    private final double[] y;
    private final double[] yhat;
    /** Row weights; null without a weight column. */
    private final double[] rw;
    private int n;

    Accumulator(Scorer m, int size, boolean weighted) {
      this.m = m;
      this.fwd = Kernels.forNetwork(m.net(), size);
      this.size = size;
      this.d = m.net().inputWidth();
      int k = m.net().outputWidth();
      this.acc = builders(k);
      this.x = new double[size * d];
      this.y = new double[size * k];
      this.yhat = new double[size * k];
      this.rw = weighted ? new double[size] : null;
    }

    /** Adds row v = {features..., labels...} of weight w (not modified). */
    void add(double[] v, double w) {
      for (int j = 0; j < d; j++) {
        x[j * size + n] = v[j];
      }
      if (rw != null) {
        rw[n] = w;
      }
      for (int c = 0; c < acc.length; c++) {
        y[c * size + n] = v[d + c];
      }
      if (++n == size) {
        score();
      }
    }

    /**
     * Predicts the first n rows of the size-row column-major buffers (compacted to n rows in
     * place) and adds output c's rows to acc[c], row i weighing rw[i] (rw null: 1).
     */
    private void score() {
      if (n < size) {
        for (int j = 1; j < d; j++) {
          System.arraycopy(x, j * size, x, j * n, n);
        }
        for (int c = 1; c < acc.length; c++) {
          System.arraycopy(y, c * size, y, c * n, n);
        }
      }
      m.predict(fwd, x, n, yhat);
      for (int c = 0; c < acc.length; c++) {
        acc[c].add(y, yhat, rw, c * n, n);
      }
      n = 0;
    }

    /** The metrics of every row added. */
    Metrics[] metrics() {
      if (n > 0) {
        score();
      }
      return build(acc);
    }
  }

  /**
   * Metrics in label units of the network on cached blocks standardized with
   * {@code scorer.scaling()} ({@link BlockData}): the output and the block's label are both mapped
   * back with {@link Scaling#unscaleLabels}; all outputs pooled.
   */
  public static Metrics onBlocks(JavaSparkContext sc, JavaRDD<Block> blocks, Scorer scorer,
      String description) {
    return Metrics.pooled(perOutput(sc, blocks, scorer, description));
  }

  /** As {@link #onBlocks}, the metrics of each of the network's outputs. */
  public static List<Metrics> perOutput(JavaSparkContext sc, JavaRDD<Block> blocks,
      Scorer scorer, String description) {
    sc.setJobDescription(description);
    Broadcast<Scorer> b = sc.broadcast(scorer);
    int k = scorer.net().outputWidth();
    try {
      List<Metrics[]> parts = blocks.mapPartitions(
          it -> List.<Metrics[]>of(onBlocks(it, b.value())).iterator()).collect();
      return merge(parts, k);
    } finally {
      b.destroy();
      sc.setJobDescription(null);
    }
  }

  /** One partition of {@link #perOutput}. */
  private static Metrics[] onBlocks(Iterator<Block> it, Scorer m) {
    int k = m.net().outputWidth();
    Kernel fwd = Kernels.forNetwork(m.net(), 128);
    Metrics.Builder[] acc = builders(k);
    while (it.hasNext()) {
      Block.Doubles blk = it.next().toDoubles();
      double[] yhat = new double[blk.n() * k];
      double[] y = blk.y().clone();
      fwd.predict(m.w(), blk.x(), blk.n(), yhat);
      m.scaling().unscaleLabels(yhat, blk.n());
      m.scaling().unscaleLabels(y, blk.n());
      for (int c = 0; c < k; c++) {
        acc[c].add(y, yhat, blk.weights(), c * blk.n(), blk.n());
      }
    }
    return build(acc);
  }

  private static Metrics.Builder[] builders(int k) {
    Metrics.Builder[] acc = new Metrics.Builder[k];
    for (int c = 0; c < k; c++) {
      acc[c] = new Metrics.Builder();
    }
    return acc;
  }

  private static Metrics[] build(Metrics.Builder[] acc) {
    Metrics[] out = new Metrics[acc.length];
    for (int c = 0; c < acc.length; c++) {
      out[c] = acc[c].build();
    }
    return out;
  }

  /** Each output's metrics over the partitions, merged in the order given. */
  private static List<Metrics> merge(List<Metrics[]> parts, int k) {
    Metrics[] total = new Metrics[k];
    Arrays.fill(total, Metrics.EMPTY);
    for (Metrics[] p : parts) {
      for (int c = 0; c < k; c++) {
        total[c] = total[c].merge(p[c]);
      }
    }
    return List.of(total);
  }
}
