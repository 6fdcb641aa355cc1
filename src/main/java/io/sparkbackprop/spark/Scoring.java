package io.sparkbackprop.spark;

import io.sparkbackprop.cli.UsageException;
import io.sparkbackprop.nn.Metrics;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.BlockBackprop;
import io.sparkbackprop.nn.Network;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Forward-only passes with a trained network: predictions appended to a table, regression metrics
 * of a labelled table, and metrics of cached training blocks. Every pass broadcasts the weights
 * ONCE, runs the same blocked forward pass as training ({@link BlockBackprop#predict}) on blocks of
 * up to {@code blockSize} rows per partition, and destroys its broadcast when done.
 *
 * <p>Raw columns go in and label units come out: features are standardized with the model's
 * {@link Scaling#scaleFeatures} (the very function training used), the network's output mapped back
 * with {@link Scaling#unscaleLabels}.
 */
public final class Scoring {
  /** What the executors need, broadcast once per pass. */
  record Model(Network net, double[] w, Scaling scaling) implements Serializable {}

  /** Per partition: metrics of the valid rows, all rows, and invalid values per used column. */
  record Partial(Metrics metrics, long rows, long[] invalid) implements Serializable {}

  private Scoring() {}

  // ---- reading and checking the input ----

  /** Reads Parquet at {@code path}; a missing or unreadable input is a one-line UsageException. */
  public static Dataset<Row> read(SparkSession spark, String path) {
    TrainingData.requireExists(spark, path);
    try {
      return spark.read().parquet(path);
    } catch (Exception e) {
      throw TrainingData.notParquet(path, e);
    }
  }

  /**
   * Checks that {@code df} has every column of {@code needed} and that each is numeric; the error
   * lists all missing and all non-numeric columns at once, and the columns there are.
   */
  public static void requireNumericColumns(String path, Dataset<Row> df, List<String> needed,
      String what) {
    List<String> names = Arrays.asList(df.columns());
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    for (String c : needed) {
      if (!names.contains(c)) {
        missing.add("'" + c + "'");
      } else {
        DataType t = df.schema().apply(c).dataType();
        if (!(t instanceof NumericType)) {
          wrongType.add("'" + c + "' is " + t.simpleString());
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new UsageException(path + ": missing " + what + " column" + (missing.size() > 1 ? "s " : " ")
          + String.join(", ", missing) + " (the model needs numeric " + String.join(", ", needed)
          + "; the input has " + String.join(", ", names) + ")");
    }
    if (!wrongType.isEmpty()) {
      throw new UsageException(path + ": " + what + " column" + (wrongType.size() > 1 ? "s " : " ")
          + String.join(", ", wrongType) + ", the model needs a number");
    }
  }

  /**
   * Counts, in one pass over the given columns only, the rows with a null, NaN or infinite value
   * in any of them: {total rows, invalid rows, invalid values of column 0, 1, ...}.
   */
  public static long[] countInvalid(Dataset<Row> df, List<String> columns) {
    Column any = functions.lit(false);
    Column[] aggs = new Column[columns.size() + 1];
    for (int j = 0; j < columns.size(); j++) {
      Column bad = invalid(functions.col(quote(columns.get(j))).cast("double"));
      any = any.or(bad);
      aggs[j + 1] = functions.sum(functions.when(bad, 1L).otherwise(0L));
    }
    aggs[0] = functions.sum(functions.when(any, 1L).otherwise(0L));
    Row r = df.agg(functions.count(functions.lit(1)), aggs).first();
    long[] out = new long[columns.size() + 2];
    for (int j = 0; j < out.length; j++) {
      out[j] = r.isNullAt(j) ? 0 : ((Number) r.get(j)).longValue();
    }
    return out;
  }

  /** The one-line refusal for {@link #countInvalid}'s result with invalid rows. */
  public static UsageException invalidRows(String path, List<String> columns, long[] counts) {
    List<String> cols = new ArrayList<>();
    for (int j = 0; j < columns.size(); j++) {
      if (counts[j + 2] > 0) {
        cols.add(columns.get(j) + ": " + counts[j + 2]);
      }
    }
    return new UsageException(path + ": " + counts[1] + " of " + counts[0]
        + " rows have a null, NaN or infinite value (" + String.join(", ", cols)
        + "); use --drop-invalid to skip those rows");
  }

  private static Column invalid(Column c) {
    return c.isNull().or(functions.isnan(c))
        .or(functions.abs(c).equalTo(functions.lit(Double.POSITIVE_INFINITY)));
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  // ---- predict ----

  /**
   * The input with a double column {@code predictionCol} appended (label units), every other column
   * kept and rows in input order within each partition. A lazy Dataset: the weights are broadcast
   * here and the returned handle must be destroyed by the caller after the action that writes it.
   * Rows with an invalid feature are skipped when {@code dropInvalid}, else fail the task (check
   * with {@link #countInvalid} first, so that they never reach it).
   */
  public static Prediction predict(JavaSparkContext sc, Dataset<Row> df, SavedModel model,
      String predictionCol, int blockSize, boolean dropInvalid) {
    List<String> names = Arrays.asList(df.columns());
    int[] idx = new int[model.features().size()];
    for (int j = 0; j < idx.length; j++) {
      idx[j] = names.indexOf(model.features().get(j));
    }
    if (names.contains(predictionCol)) {
      throw new UsageException("the input already has a column '" + predictionCol
          + "' (choose another name with --prediction-col)");
    }
    StructType schema = df.schema().add(predictionCol, DataTypes.DoubleType, false);
    Broadcast<Model> bm = sc.broadcast(new Model(model.network(), model.weights(),
        model.scaling()));
    int width = names.size();
    JavaRDD<Row> rows = df.javaRDD().mapPartitions(it -> new PredictIterator(it, idx, width,
        bm.value(), blockSize, dropInvalid), true);
    return new Prediction(df.sparkSession().createDataFrame(rows, schema), bm);
  }

  /** A prediction Dataset and its broadcast, to destroy once the Dataset has been written. */
  public record Prediction(Dataset<Row> data, Broadcast<?> weights) {}

  /** Rows in, the same rows with the prediction appended out, one block of rows at a time. */
  static final class PredictIterator implements Iterator<Row> {
    private final Iterator<Row> in;
    private final int[] idx;
    private final int width;
    private final Model m;
    private final int size;
    private final boolean drop;
    private final BlockBackprop fwd;
    private final Row[] rows;
    private final double[][] values;
    private final double[] yhat;
    private int n;
    private int pos;

    PredictIterator(Iterator<Row> in, int[] idx, int width, Model m, int size, boolean drop) {
      this.in = in;
      this.idx = idx;
      this.width = width;
      this.m = m;
      this.size = size;
      this.drop = drop;
      this.fwd = new BlockBackprop(m.net(), size);
      this.rows = new Row[size];
      this.values = new double[size][];
      this.yhat = new double[size];
    }

    @Override
    public boolean hasNext() {
      if (pos < n) {
        return true;
      }
      fill();
      return pos < n;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = rows[pos];
      Object[] v = new Object[width + 1];
      for (int j = 0; j < width; j++) {
        v[j] = r.get(j);
      }
      v[width] = yhat[pos];
      rows[pos++] = null;
      return RowFactory.create(v);
    }

    private void fill() {
      n = 0;
      pos = 0;
      while (n < size && in.hasNext()) {
        Row r = in.next();
        double[] x = features(r, idx);
        if (x == null) {
          if (drop) {
            continue;
          }
          throw new IllegalStateException("a row with a null, NaN or infinite feature reached"
              + " prediction (did the input change after it was checked?)");
        }
        rows[n] = r;
        values[n++] = x;
      }
      if (n > 0) {
        forward(fwd, m, values, n, yhat);
      }
    }
  }

  /** The features of a row as doubles, or null when one is null, NaN or infinite. */
  private static double[] features(Row r, int[] idx) {
    double[] x = new double[idx.length];
    for (int j = 0; j < idx.length; j++) {
      if (r.isNullAt(idx[j])) {
        return null;
      }
      x[j] = ((Number) r.get(idx[j])).doubleValue();
      if (!Double.isFinite(x[j])) {
        return null;
      }
    }
    return x;
  }

  /**
   * Predictions in label units of rows {@code values[0..n-1]} (raw features, not modified):
   * standardize, blocked forward pass, map back. {@code out}: Modified, first n entries.
   */
  private static void forward(BlockBackprop fwd, Model m, double[][] values, int n, double[] out) {
    int d = m.net().inputWidth();
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[j * n + i] = values[i][j];
      }
    }
    m.scaling().scaleFeatures(x, n);
    fwd.predict(m.w(), x, n, out);
    m.scaling().unscaleLabels(out, n);
  }

  // ---- evaluate ----

  /**
   * Metrics of the model on a labelled table in ONE distributed pass: each partition reads its rows,
   * skips and counts those with an invalid feature or label, predicts blocks of valid rows and
   * accumulates {@link Metrics}; the driver merges partitions in index order. Invalid rows are an
   * error unless {@code dropInvalid}.
   *
   * @return the metrics and {rows read, rows skipped}
   */
  public static Evaluated evaluate(JavaSparkContext sc, String path, Dataset<Row> df,
      SavedModel model, String label, int blockSize, boolean dropInvalid) {
    List<String> used = new ArrayList<>(model.features());
    used.add(label);
    requireNumericColumns(path, df, used, "feature or label");
    Column[] cast = new Column[used.size()];
    for (int j = 0; j < cast.length; j++) {
      cast[j] = functions.col(quote(used.get(j))).cast("double");
    }
    int d = model.features().size();
    JavaRDD<Row> input = df.select(cast).javaRDD();
    sc.setJobDescription("evaluate: forward pass and metrics");
    Broadcast<Model> bm = sc.broadcast(new Model(model.network(), model.weights(),
        model.scaling()));
    List<Partial> parts;
    try {
      parts = input.mapPartitions(it -> Collections.singletonList(
          evaluatePartition(it, d, bm.value(), blockSize)).iterator()).collect();
    } catch (Exception e) {
      throw TrainingData.notParquet(path, e);
    } finally {
      bm.destroy();
      sc.setJobDescription(null);
    }
    Metrics total = Metrics.EMPTY;
    long rows = 0;
    long[] invalid = new long[d + 1];
    for (Partial p : parts) {
      total = total.merge(p.metrics());
      rows += p.rows();
      for (int j = 0; j <= d; j++) {
        invalid[j] += p.invalid()[j];
      }
    }
    long bad = rows - total.n();
    if (bad > 0 && !dropInvalid) {
      long[] counts = new long[d + 3];
      counts[0] = rows;
      counts[1] = bad;
      System.arraycopy(invalid, 0, counts, 2, d + 1);
      throw invalidRows(path, used, counts);
    }
    if (total.n() == 0) {
      throw new UsageException(path + ": no rows to evaluate" + (bad > 0 ? " (all " + bad
          + " have a null, NaN or infinite value)" : ""));
    }
    return new Evaluated(total, rows, bad);
  }

  /** Metrics of the valid rows, rows read, rows skipped. */
  public record Evaluated(Metrics metrics, long rows, long dropped) {}

  private static Partial evaluatePartition(Iterator<Row> it, int d, Model m, int size) {
    BlockBackprop fwd = new BlockBackprop(m.net(), size);
    Metrics.Builder acc = new Metrics.Builder();
    double[][] values = new double[size][];
    double[] y = new double[size];
    double[] yhat = new double[size];
    long[] invalid = new long[d + 1];
    long rows = 0;
    int n = 0;
    while (it.hasNext()) {
      Row r = it.next();
      rows++;
      double[] v = new double[d + 1];
      boolean ok = true;
      for (int j = 0; j <= d; j++) {
        if (r.isNullAt(j) || !Double.isFinite(v[j] = r.getDouble(j))) {
          invalid[j]++;
          ok = false;
        }
      }
      if (!ok) {
        continue;
      }
      values[n] = v;
      y[n++] = v[d];
      if (n == size) {
        forward(fwd, m, values, n, yhat);
        acc.add(y, yhat, n);
        n = 0;
      }
    }
    if (n > 0) {
      forward(fwd, m, values, n, yhat);
      acc.add(y, yhat, n);
    }
    return new Partial(acc.build(), rows, invalid);
  }

  // ---- cached blocks (training and validation data) ----

  /**
   * Metrics in label units of the network on cached blocks that were standardized with
   * {@code scaling} ({@link Standardize#apply}; identity when not standardized): the output and the
   * block's label are both mapped back with {@link Scaling#unscaleLabels}. One pass, one broadcast,
   * destroyed before returning.
   *
   * @param w weights (not modified)
   */
  public static Metrics onBlocks(JavaSparkContext sc, JavaRDD<Block> blocks, Network net,
      double[] w, Scaling scaling, String description) {
    sc.setJobDescription(description);
    Broadcast<Model> bm = sc.broadcast(new Model(net, w, scaling));
    try {
      List<Metrics> parts = blocks.mapPartitions(it -> {
        Model m = bm.value();
        BlockBackprop fwd = new BlockBackprop(m.net());
        Metrics.Builder acc = new Metrics.Builder();
        while (it.hasNext()) {
          Block b = it.next();
          double[] yhat = new double[b.n()];
          double[] y = b.y().clone();
          fwd.predict(m.w(), b.x(), b.n(), yhat);
          m.scaling().unscaleLabels(yhat, b.n());
          m.scaling().unscaleLabels(y, b.n());
          acc.add(y, yhat, b.n());
        }
        return Collections.singletonList(acc.build()).iterator();
      }).collect();
      Metrics total = Metrics.EMPTY;
      for (Metrics p : parts) {
        total = total.merge(p);
      }
      return total;
    } finally {
      bm.destroy();
      sc.setJobDescription(null);
    }
  }
}
