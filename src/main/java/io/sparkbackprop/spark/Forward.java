package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Kernel;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.Metrics;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Forward passes with a trained network over a Dataset: predictions appended as a column, and
 * regression metrics of labelled rows. Each partition is scored in blocks of up to
 * {@code blockSize} rows with the training kernel ({@link Kernel#predict}), the weights
 * broadcast once per pass; never one row at a time.
 *
 * <p>Raw features go in and label units come out: features are standardized with the model's
 * {@link Scaling#scaleFeatures} (the function training used), the network's output mapped back
 * with {@link Scaling#unscaleLabels}.
 */
public final class Forward {
  /** What the executors need, broadcast once per pass. */
  public record Scorer(Network net, double[] w, Scaling scaling) implements Serializable {
    /**
     * Predictions in label units of n rows (raw features, not modified).
     *
     * @param x n x d features, column-major (Modified: standardized in place)
     * @param out Modified: the first n x k entries (column-major, k outputs)
     */
    void predict(Kernel fwd, double[] x, int n, double[] out) {
      scaling.scaleFeatures(x, n);
      fwd.predict(w, x, n, out);
      scaling.unscaleLabels(out, n);
    }
  }

  private Forward() {}

  /**
   * {@code df} with a column {@code predictionCol} appended: the prediction in label units, NaN
   * where the features are null or not finite; a double for a network of one output, a Vector of
   * k values (NaN each for invalid features) for k > 1 outputs. A row whose features have another
   * length than the network's input fails its task. Lazy, as a transformation: the weights are
   * broadcast now and freed by Spark's ContextCleaner once the result is unreachable.
   */
  public static Dataset<Row> transform(Dataset<?> df, String featuresCol, String predictionCol,
      Scorer scorer, int blockSize) {
    StructType schema = df.schema();
    FeatureColumn fc = FeatureColumn.of(schema, featuresCol);
    StructType out = schema.add(predictionCol, scorer.net().outputWidth() == 1
        ? DataTypes.DoubleType : new org.apache.spark.ml.linalg.VectorUDT(), false);
    Broadcast<Scorer> b = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext())
        .broadcast(scorer);
    return df.toDF().mapPartitions(new Predict(b, fc, schema.fieldIndex(fc.name()),
        schema.length(), blockSize), SparkCompat.rowEncoder(out));
  }

  /** Executor side of {@link #transform}: rows in, the same rows and their prediction out. */
  private static final class Predict implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Scorer> scorer;
    private final FeatureColumn fc;
    private final int index;
    private final int width;
    private final int size;

    Predict(Broadcast<Scorer> scorer, FeatureColumn fc, int index, int width, int size) {
      this.scorer = scorer;
      this.fc = fc;
      this.index = index;
      this.width = width;
      this.size = size;
    }

    @Override public Iterator<Row> call(Iterator<Row> in) {
      Scorer m = scorer.value();
      int d = m.net().inputWidth();
      Kernel fwd = Kernels.forNetwork(m.net(), size);
      Row[] rows = new Row[size];
      int[] at = new int[size];
      double[] x = new double[size * d];
      double[] v = new double[d];
      int k = m.net().outputWidth();
      double[] yhat = new double[size * k];
      return new Iterator<>() {
        private int n;
        private int pos;
        private int scored;

        @Override public boolean hasNext() {
          if (pos < n) {
            return true;
          }
          fill();
          return pos < n;
        }

        @Override public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Row r = rows[pos];
          Object[] o = new Object[width + 1];
          for (int j = 0; j < width; j++) {
            o[j] = r.get(j);
          }
          if (k == 1) {
            o[width] = at[pos] < 0 ? Double.NaN : yhat[at[pos]];
          } else {
            double[] p = new double[k];
            for (int c = 0; c < k; c++) {
              p[c] = at[pos] < 0 ? Double.NaN : yhat[c * scored + at[pos]];
            }
            o[width] = org.apache.spark.ml.linalg.Vectors.dense(p);
          }
          rows[pos++] = null;
          return RowFactory.create(o);
        }

        /** Reads up to size rows; scores those with finite features as one block. */
        private void fill() {
          n = 0;
          pos = 0;
          scored = 0;
          while (n < size && in.hasNext()) {
            Row r = in.next();
            rows[n] = r;
            at[n] = -1;
            int len = fc.read(r, index, v, 0);
            if (len >= 0 && len != d) {
              throw new IllegalArgumentException("a row of '" + fc.name() + "' has " + len
                  + " values " + fc.preview(r, index) + "; the network takes " + d);
            }
            if (len == d && finite(v)) {
              at[n] = scored;
              for (int j = 0; j < d; j++) {
                x[j * size + scored] = v[j];
              }
              scored++;
            }
            n++;
          }
          if (scored > 0) {
            // The block is the first `scored` rows of a size-row column-major buffer: compact it.
            if (scored < size) {
              for (int j = 1; j < d; j++) {
                System.arraycopy(x, j * size, x, j * scored, scored);
              }
            }
            m.predict(fwd, x, scored, yhat);
          }
        }
      };
    }
  }

  private static boolean finite(double[] v) {
    for (double a : v) {
      if (!Double.isFinite(a)) {
        return false;
      }
    }
    return true;
  }

  /** Rows read, and rows whose features are null, NaN or infinite. */
  public record Counted(long rows, long invalid) {}

  /**
   * Counts, in one pass over the features column only, the rows whose features are null, NaN or
   * infinite; a row of another length than the network's input is an error.
   *
   * @param refuse throw a DataException naming the invalid values per feature when there are any
   * @throws DataException bad data
   */
  public static Counted countInvalid(Dataset<?> df, String featuresCol, List<String> names,
      int d, boolean refuse) {
    FeatureColumn fc = FeatureColumn.of(df.schema(), featuresCol);
    JavaRDD<Row> input = df.select(ColumnNames.col(fc.name())).javaRDD();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    sc.setJobDescription("check the features");
    List<long[]> parts;
    try {
      parts = input.mapPartitions(it -> {
        // {rows, invalid rows, null features, wrong length, invalid of feature 0..d-1}
        long[] c = new long[4 + d];
        double[] v = new double[d];
        while (it.hasNext()) {
          Row r = it.next();
          c[0]++;
          int len = fc.read(r, 0, v, 0);
          if (len < 0) {
            c[1]++;
            c[2]++;
          } else if (len != d) {
            c[3]++;
          } else {
            boolean bad = false;
            for (int j = 0; j < d; j++) {
              if (!Double.isFinite(v[j])) {
                c[4 + j]++;
                bad = true;
              }
            }
            c[1] += bad ? 1 : 0;
          }
        }
        return Collections.singletonList(c).iterator();
      }).collect();
    } finally {
      sc.setJobDescription(null);
    }
    long[] all = new long[4 + d];
    for (long[] c : parts) {
      for (int j = 0; j < all.length; j++) {
        all[j] += c[j];
      }
    }
    if (all[3] > 0) {
      throw new DataException(DataException.Kind.WIDTH, all[3] + " of " + all[0] + " rows of '"
          + featuresCol + "' have a length other than the network's " + d + " inputs", "");
    }
    if (refuse && all[1] > 0) {
      long[] invalid = java.util.Arrays.copyOfRange(all, 4, 4 + d + 1);
      invalid[d] = 0;
      throw new DataException(DataException.Kind.INVALID_VALUES, all[1] + " of " + all[0]
          + " rows have a null, NaN or infinite feature (" + BlockData.invalidColumns(names,
              invalid, all[2], featuresCol, "", 0, null) + ")",
          "set handleInvalid to \"skip\" to leave those rows out");
    }
    return new Counted(all[0], all[1]);
  }

  /**
   * Metrics of the valid rows (all outputs pooled, {@link Metrics#pooled}; for one output its
   * metrics), each output's, all rows read, rows left out.
   */
  public record Evaluated(Metrics metrics, long rows, long dropped, List<Metrics> outputs) {}

  /**
   * Per partition: metrics of the valid rows per output, rows, invalid counts, the first row too
   * long or short; likewise the first label vector of another length than the outputs.
   */
  private record Partial(int partition, List<Metrics> metrics, long rows, long[] invalid,
      long nullFeatures, long wrongLength, long firstWrong, int firstWrongLength,
      String firstWrongValues, long nullLabels, long wrongLabel, long firstWrongLabel,
      int firstWrongLabelLength, String firstWrongLabelValues, long firstBadWeight,
      String badWeight) implements Serializable {}

  /** "; the first ... weight is row 3 (0-based, in input order), w = -1.0", or "". */
  private static String firstInvalid(List<Partial> parts, String weightCol) {
    long before = 0;
    for (Partial p : parts) {
      if (p.firstBadWeight() >= 0) {
        return "; the first negative, NaN, infinite or null weight is row "
            + (before + p.firstBadWeight()) + " (0-based, in input order), " + weightCol + " = "
            + p.badWeight();
      }
      before += p.rows();
    }
    return "";
  }

  /**
   * Metrics of the network on labelled rows in ONE distributed pass: each partition predicts
   * blocks of its valid rows and accumulates {@link Metrics}; the driver merges them in partition
   * order. Rows with a null, NaN or infinite feature or label are an error unless
   * {@code skipInvalid}.
   *
   * @param names a name per feature value, for messages
   * @throws DataException bad data
   */
  public static Evaluated evaluate(Dataset<?> df, String featuresCol, String labelCol,
      List<String> names, Scorer scorer, int blockSize, boolean skipInvalid) {
    return evaluate(df, featuresCol, labelCol, null, names, scorer, blockSize, skipInvalid);
  }

  /**
   * As {@link #evaluate(Dataset, String, String, List, Scorer, int, boolean)}, with row weights
   * from {@code weightCol} (null: none): the metrics weighted as {@link Metrics} says; a null,
   * NaN, infinite or negative weight is an invalid value.
   */
  public static Evaluated evaluate(Dataset<?> df, String featuresCol, String labelCol,
      String weightCol, List<String> names, Scorer scorer, int blockSize, boolean skipInvalid) {
    StructType schema = df.schema();
    FeatureColumn fc = FeatureColumn.of(schema, featuresCol);
    int k = scorer.net().outputWidth();
    FeatureColumn lc = FeatureColumn.label(schema, labelCol, k);
    StructField lf = FeatureColumn.field(schema, labelCol, "label");
    List<org.apache.spark.sql.Column> cols = new ArrayList<>(List.of(ColumnNames.col(fc.name()),
        lc != null ? ColumnNames.col(lf.name()) : ColumnNames.col(lf.name()).cast("double")));
    if (weightCol != null) {
      StructField wf = FeatureColumn.field(schema, weightCol, "weight");
      if (!(wf.dataType() instanceof NumericType)) {
        throw new DataException(DataException.Kind.WRONG_TYPE, "the weight column '" + weightCol
            + "' is " + wf.dataType().simpleString() + ", not numeric", "");
      }
      cols.add(ColumnNames.col(wf.name()).cast("double"));
    }
    JavaRDD<Row> input = df.select(cols.toArray(new org.apache.spark.sql.Column[0])).javaRDD();
    boolean weighted = weightCol != null;
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    int d = scorer.net().inputWidth();
    sc.setJobDescription("evaluate: forward pass and metrics");
    Broadcast<Scorer> b = sc.broadcast(scorer);
    List<Partial> parts;
    try {
      parts = input.mapPartitionsWithIndex((p, it) -> Collections.singletonList(
          evaluatePartition(p, it, fc, lc, d, b.value(), blockSize, weighted)).iterator(), false)
          .collect();
    } finally {
      b.destroy();
      sc.setJobDescription(null);
    }
    Metrics[] outs = new Metrics[k];
    java.util.Arrays.fill(outs, Metrics.EMPTY);
    long rows = 0;
    long nullFeatures = 0;
    long wrong = 0;
    long[] invalid = new long[d + 2];
    Partial firstWrong = null;
    long before = 0;
    Partial firstWrongLabel = null;
    long beforeLabel = 0;
    long wrongLabel = 0;
    long nullLabels = 0;
    for (Partial p : parts) {
      if (p.wrongLength() > 0 && firstWrong == null) {
        firstWrong = p;
        before = rows;
      }
      if (p.wrongLabel() > 0 && firstWrongLabel == null) {
        firstWrongLabel = p;
        beforeLabel = rows;
      }
      wrongLabel += p.wrongLabel();
      nullLabels += p.nullLabels();
      for (int c = 0; c < k; c++) {
        outs[c] = outs[c].merge(p.metrics().get(c));
      }
      rows += p.rows();
      nullFeatures += p.nullFeatures();
      wrong += p.wrongLength();
      for (int j = 0; j <= d + 1; j++) {
        invalid[j] += p.invalid()[j];
      }
    }
    if (firstWrong != null) {
      throw new DataException(DataException.Kind.WIDTH, BlockData.wrongLength(featuresCol, d,
          wrong, rows - nullFeatures, before + firstWrong.firstWrong(),
          firstWrong.firstWrongLength(), firstWrong.firstWrongValues()), "");
    }
    if (firstWrongLabel != null) {
      throw new DataException(DataException.Kind.WIDTH, BlockData.wrongLength(labelCol, k,
          wrongLabel, rows - nullLabels, beforeLabel + firstWrongLabel.firstWrongLabel(),
          firstWrongLabel.firstWrongLabelLength(), firstWrongLabel.firstWrongLabelValues(),
          "outputs"), "");
    }
    List<Metrics> perOutput = List.of(outs);
    Metrics total = Metrics.pooled(perOutput);
    long bad = rows - outs[0].n();
    if (bad > 0 && !skipInvalid) {
      String columns = BlockData.invalidColumns(names, invalid, nullFeatures, featuresCol,
          labelCol, 0, null);
      if (invalid[d + 1] > 0) {
        columns += (columns.isEmpty() ? "" : ", ") + weightCol + ": " + invalid[d + 1];
      }
      throw new DataException(DataException.Kind.INVALID_VALUES, bad + " of " + rows
          + " rows have a null, NaN or infinite value" + (weighted ? " or a negative weight" : "")
          + " (" + columns + ")" + firstInvalid(parts, weightCol),
          "set handleInvalid to \"skip\" to leave those rows out");
    }
    if (total.n() == 0) {
      throw new DataException(DataException.Kind.NO_ROWS, "no rows to evaluate" + (bad > 0
          ? " (all " + bad + " have a null, NaN or infinite value)" : ""), "");
    }
    if (!(total.weight() > 0)) {
      throw new DataException(DataException.Kind.NO_ROWS, "every weight in '" + weightCol
          + "' is 0: no rows to evaluate", "give some rows a positive weight");
    }
    return new Evaluated(total, rows, bad, perOutput);
  }

  private static Partial evaluatePartition(int partition, Iterator<Row> it, FeatureColumn fc,
      FeatureColumn lc, int d, Scorer m, int size, boolean weighted) {
    Kernel fwd = Kernels.forNetwork(m.net(), size);
    int k = m.net().outputWidth();
    Metrics.Builder[] acc = new Metrics.Builder[k];
    for (int c = 0; c < k; c++) {
      acc[c] = new Metrics.Builder();
    }
    double[] x = new double[size * d];
    double[] y = new double[size * k];
    double[] yhat = new double[size * k];
    double[] rw = weighted ? new double[size] : null;
    long firstBadWeight = -1;
    String badWeight = null;
    double[] v = new double[d];
    double[] lv = new double[k];
    long nullLabels = 0;
    long wrongLabel = 0;
    long firstWrongLabel = -1;
    int firstWrongLabelLength = 0;
    String firstWrongLabelValues = null;
    long[] invalid = new long[d + 2];
    long rows = 0;
    long nullFeatures = 0;
    long wrong = 0;
    long firstWrong = -1;
    int firstWrongLength = 0;
    String firstWrongValues = null;
    int n = 0;
    while (it.hasNext()) {
      Row r = it.next();
      long index = rows++;
      int labelLength = r.isNullAt(1) ? -1 : lc == null ? 1 : lc.read(r, 1, lv, 0);
      if (labelLength < 0) {
        nullLabels++;
      } else if (labelLength != k) {
        if (wrongLabel++ == 0) {
          firstWrongLabel = index;
          firstWrongLabelLength = labelLength;
          firstWrongLabelValues = lc.preview(r, 1);
        }
        continue;
      } else if (lc == null) {
        lv[0] = r.getDouble(1);
      }
      int len = fc.read(r, 0, v, 0);
      if (len >= 0 && len != d) {
        if (wrong++ == 0) {
          firstWrong = index;
          firstWrongLength = len;
          firstWrongValues = fc.preview(r, 0);
        }
        continue;
      }
      boolean ok = true;
      if (len < 0) {
        nullFeatures++;
        ok = false;
      } else {
        for (int j = 0; j < d; j++) {
          if (!Double.isFinite(v[j])) {
            invalid[j]++;
            ok = false;
          }
        }
      }
      boolean labelOk = labelLength >= 0;
      for (int c = 0; c < k && labelOk; c++) {
        labelOk = Double.isFinite(lv[c]);
      }
      if (!labelOk) {
        invalid[d]++;
        ok = false;
      }
      double weight = !weighted ? 1.0 : r.isNullAt(2) ? Double.NaN : r.getDouble(2);
      if (!(weight >= 0 && Double.isFinite(weight))) {
        invalid[d + 1]++;
        if (firstBadWeight < 0) {
          firstBadWeight = index;
          badWeight = r.isNullAt(2) ? "null" : String.valueOf(weight);
        }
        ok = false;
      }
      if (!ok) {
        continue;
      }
      for (int j = 0; j < d; j++) {
        x[j * size + n] = v[j];
      }
      if (weighted) {
        rw[n] = weight;
      }
      for (int c = 0; c < k; c++) {
        y[c * size + n] = lv[c];
      }
      n++;
      if (n == size) {
        score(m, fwd, x, y, rw, yhat, n, size, d, acc);
        n = 0;
      }
    }
    if (n > 0) {
      score(m, fwd, x, y, rw, yhat, n, size, d, acc);
    }
    List<Metrics> built = new java.util.ArrayList<>();
    for (Metrics.Builder a : acc) {
      built.add(a.build());
    }
    return new Partial(partition, built, rows, invalid, nullFeatures, wrong, firstWrong,
        firstWrongLength, firstWrongValues, nullLabels, wrongLabel, firstWrongLabel,
        firstWrongLabelLength, firstWrongLabelValues, firstBadWeight, badWeight);
  }

  /**
   * Predicts the first n rows of a size-row column-major buffer x (labels y likewise, k
   * outputs; both compacted to n rows in place) and adds output c's rows to acc[c], row i
   * weighing rw[i] (rw null: 1).
   */
  private static void score(Scorer m, Kernel fwd, double[] x, double[] y, double[] rw,
      double[] yhat, int n, int size, int d, Metrics.Builder[] acc) {
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
  }

  /**
   * Metrics in label units of the network on cached blocks standardized with
   * {@code scorer.scaling()} ({@link BlockData}): the output and the block's label are both mapped
   * back with {@link Scaling#unscaleLabels}. One pass, one broadcast, destroyed before returning.
   *
   * @param w weights (not modified)
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
      List<Metrics[]> parts = blocks.mapPartitions(it -> {
        Scorer m = b.value();
        Kernel fwd = Kernels.forNetwork(m.net(), 128);
        Metrics.Builder[] acc = new Metrics.Builder[k];
        for (int c = 0; c < k; c++) {
          acc[c] = new Metrics.Builder();
        }
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
        Metrics[] out = new Metrics[k];
        for (int c = 0; c < k; c++) {
          out[c] = acc[c].build();
        }
        return Collections.singletonList(out).iterator();
      }).collect();
      Metrics[] total = new Metrics[k];
      java.util.Arrays.fill(total, Metrics.EMPTY);
      for (Metrics[] p : parts) {
        for (int c = 0; c < k; c++) {
          total[c] = total[c].merge(p[c]);
        }
      }
      return List.of(total);
    } finally {
      b.destroy();
      sc.setJobDescription(null);
    }
  }
}
