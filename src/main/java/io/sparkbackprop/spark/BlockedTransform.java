package io.sparkbackprop.spark;

import io.sparkbackprop.errors.DataException;
import io.sparkbackprop.nn.Kernel;
import io.sparkbackprop.nn.Kernels;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained network's predictions over a Dataset, appended as a column: each partition is scored
 * in blocks of up to {@code blockSize} rows with the training kernel ({@link Kernel#predict}),
 * the weights broadcast once per pass; never one row at a time. Rows are checked by
 * {@link RowCheck} (features only).
 */
public final class BlockedTransform {
  private BlockedTransform() {}

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
        ? DataTypes.DoubleType : new VectorUDT(), false);
    Broadcast<Scorer> b = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext())
        .broadcast(scorer);
    RowCheck check = RowCheck.features(fc, schema.fieldIndex(fc.name()), featuresCol,
        scorer.net().inputWidth());
    return df.toDF().mapPartitions(new Predict(b, check, fc.name(), schema.length(), blockSize),
        SparkCompat.rowEncoder(out));
  }

  /** Executor side of {@link #transform}: rows in, the same rows and their prediction out. */
  private static final class Predict implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Scorer> scorer;
    private final RowCheck check;
    private final String column;
    private final int width;
    private final int size;

    Predict(Broadcast<Scorer> scorer, RowCheck check, String column, int width, int size) {
      this.scorer = scorer;
      this.check = check;
      this.column = column;
      this.width = width;
      this.size = size;
    }

    @Override public Iterator<Row> call(Iterator<Row> in) {
      return new Scored(in, scorer.value());
    }

    /** The rows of one partition with their predictions, scored a block at a time. */
    private final class Scored implements Iterator<Row> {
      private final Iterator<Row> in;
      private final Scorer m;
      private final int d;
      private final int k;
      private final Kernel fwd;
      private final Row[] rows = new Row[size];
      /** Row i's place in the scored block, -1 for invalid features. */
      private final int[] at = new int[size];
      private final double[] x;
      private final double[] v;
      private final double[] yhat;
      private final RowFaults seen;
      private int n;
      private int pos;
      private int scored;

      Scored(Iterator<Row> in, Scorer m) {
        this.in = in;
        this.m = m;
        this.d = m.net().inputWidth();
        this.k = m.net().outputWidth();
        this.fwd = Kernels.forNetwork(m.net(), size);
        this.x = new double[size * d];
        this.v = new double[d];
        this.yhat = new double[size * k];
        this.seen = new RowFaults(-1, d);
      }

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
          o[width] = Vectors.dense(p);
        }
        rows[pos++] = null;
        return RowFactory.create(o);
      }

      /** Reads up to size rows; scores those with valid features as one block. */
      private void fill() {
        n = 0;
        pos = 0;
        scored = 0;
        while (n < size && in.hasNext()) {
          Row r = in.next();
          rows[n] = r;
          at[n] = -1;
          RowCheck.Verdict verdict = check.check(r, v, seen);
          if (verdict == RowCheck.Verdict.WRONG_LENGTH) {
            throw new IllegalArgumentException("a row of '" + column + "' has "
                + seen.features.firstLength + " values " + seen.features.firstValues
                + "; the network takes " + d);
          }
          if (verdict == RowCheck.Verdict.VALID) {
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
    }
  }

  /** Rows read, and rows whose features are null, NaN or infinite. */
  public record Counted(long rows, long invalid) {}

  /**
   * Counts, in one pass over the features column only, the rows whose features are null, NaN or
   * infinite; a row of another length than the network's input is an error.
   *
   * @param names a name per feature value, for messages
   * @param refuse throw a DataException naming the invalid values per feature when there are any
   * @throws DataException bad data
   */
  public static Counted countInvalid(Dataset<?> df, String featuresCol, List<String> names,
      int d, boolean refuse) {
    FeatureColumn fc = FeatureColumn.of(df.schema(), featuresCol);
    RowCheck check = RowCheck.features(fc, 0, featuresCol, d);
    JavaRDD<Row> input = df.select(ColumnNames.col(fc.name())).javaRDD();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    sc.setJobDescription("check the features");
    List<RowFaults> parts;
    try {
      parts = input.mapPartitionsWithIndex((p, it) -> List.of(check.faults(p, it)).iterator(),
          false).collect();
    } finally {
      sc.setJobDescription(null);
    }
    RowFaults all = RowFaults.merge(parts, d);
    Refusals.wrongLengths(check, all);
    if (refuse && all.invalidRows > 0) {
      throw Refusals.invalidValues(check, names, all, false);
    }
    return new Counted(all.rows, all.invalidRows);
  }
}
