package io.sparkbackprop.spark;

import io.sparkbackprop.errors.DataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one check of a row, for training, evaluation and prediction alike.
 *
 * <p>A labelled row is selected as {features, label[, indicator][, weight]} ({@link #select});
 * a row to predict has its features at a given field. The row is read into
 * {@code v = {features..., labels...}} (d + k values, k = 0 without a label) and is, in this
 * order:
 * <ol>
 *   <li>of the wrong length: a vector label of other than k values, else features of other than
 *       d values (counted apart, nothing else counted);</li>
 *   <li>invalid: null features, a null label, a NaN or infinite feature or label value, a null
 *       validation indicator, or a null, NaN, infinite or negative weight;</li>
 *   <li>valid otherwise, a weight of 0 included (what 0 means is the caller's rule).</li>
 * </ol>
 * Each fault is counted in a {@link RowFaults}, per column, with the first row at fault.
 */
final class RowCheck implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a row is. */
  enum Verdict { VALID, INVALID, WRONG_LENGTH }

  /** The columns as the caller named them, for messages (null: no such column). */
  record Names(String features, String label, String indicator, String weight)
      implements Serializable {}

  final Names names;
  final int d;
  /** Label values per row; 0 for rows without a label. */
  final int k;
  private final FeatureColumn features;
  private final int featuresField;
  /** A vector or array label; null for a numeric one (or none). */
  private final FeatureColumn label;
  /** The label, indicator and weight columns as the schema spells them (null: none). */
  private final String labelName;
  private final String indicatorName;
  private final ContentSplit split;
  private final String weightName;

  private RowCheck(Names names, int d, int k, FeatureColumn features, int featuresField,
      FeatureColumn label, String labelName, String indicatorName, ContentSplit split,
      String weightName) {
    this.names = names;
    this.d = d;
    this.k = k;
    this.features = features;
    this.featuresField = featuresField;
    this.label = label;
    this.labelName = labelName;
    this.indicatorName = indicatorName;
    this.split = split;
    this.weightName = weightName;
  }

  /** Rows of d features at field {@code field} of the row, without a label (prediction). */
  static RowCheck features(FeatureColumn fc, int field, String featuresCol, int d) {
    return new RowCheck(new Names(featuresCol, null, null, null), d, 0, fc, field, null, null,
        null, null, null);
  }

  /**
   * Labelled rows of {@code schema}: d features, k label values, an optional validation
   * indicator (or content split) and weight.
   *
   * @throws DataException a column missing or of a type that cannot be used
   */
  static RowCheck labelled(StructType schema, Names names, int d, int k, ContentSplit split) {
    FeatureColumn fc = FeatureColumn.of(schema, names.features());
    FeatureColumn lc = FeatureColumn.label(schema, names.label(), k);
    String label = FeatureColumn.field(schema, names.label(), "label").name();
    String indicator = typed(schema, names.indicator(), "validation indicator",
        BooleanType.class, "boolean");
    String weight = typed(schema, names.weight(), "weight", NumericType.class, "numeric");
    return new RowCheck(names, d, k, fc, 0, lc, label, indicator, split, weight);
  }

  /**
   * The schema's spelling of column {@code name} (null: none, returned as null).
   *
   * @throws DataException when it is missing or not of {@code type}
   */
  private static String typed(StructType schema, String name, String what, Class<?> type,
      String wanted) {
    if (name == null) {
      return null;
    }
    StructField f = FeatureColumn.field(schema, name, what);
    if (!type.isInstance(f.dataType())) {
      throw Refusals.wrongType(what, name, f, wanted);
    }
    return f.name();
  }

  /** The columns this check reads, in its layout (numeric labels and weights as doubles). */
  JavaRDD<Row> select(Dataset<?> df) {
    List<Column> cols = new ArrayList<>(List.of(ColumnNames.col(features.name()),
        label != null ? ColumnNames.col(labelName) : ColumnNames.col(labelName).cast("double")));
    if (indicatorName != null) {
      cols.add(ColumnNames.col(indicatorName));
    }
    if (weightName != null) {
      cols.add(ColumnNames.col(weightName).cast("double"));
    }
    return df.select(cols.toArray(new Column[0])).javaRDD();
  }

  /** The index in {@link RowFaults#invalid} of the label's invalid values. */
  int label() {
    return d;
  }

  /** Likewise of null validation indicators. */
  int indicator() {
    return d + 1;
  }

  /** Likewise of invalid weights. */
  int weight() {
    return d + 2;
  }

  boolean weighted() {
    return weightName != null;
  }

  /**
   * Reads row r into v and counts its faults in f.
   *
   * @param v Modified: {features..., labels...} (d + k values); labels NaN for a null label
   */
  Verdict check(Row r, double[] v, RowFaults f) {
    long index = f.rows++;
    int labelLength = k == 0 ? 0 : readLabel(r, v);
    if (labelLength < 0) {
      f.nullLabels++;
      Arrays.fill(v, d, d + k, Double.NaN);
    } else if (labelLength != k) {
      f.labels.add(index, labelLength, label.preview(r, 1));
      return Verdict.WRONG_LENGTH;
    }
    int len = features.read(r, featuresField, v, k);
    if (len >= 0 && len != d) {
      f.features.add(index, len, features.preview(r, featuresField));
      return Verdict.WRONG_LENGTH;
    }
    boolean ok = finiteFeatures(len, v, f) & finiteLabel(labelLength, v, f);
    if (!ok) {
      firstInvalidValue(index, len, labelLength, v, f);
    }
    if (!Double.isFinite(weight(r))) {
      f.invalid[weight()]++;
      if (ok) {
        f.firstInvalid(index, weight(), 0, weightText(r));
      }
      ok = false;
    }
    if (indicatorName != null && r.isNullAt(2)) {
      f.invalid[indicator()]++;
      f.firstInvalid(index, indicator(), 0, "null");
      ok = false;
    }
    f.invalidRows += ok ? 0 : 1;
    return ok ? Verdict.VALID : Verdict.INVALID;
  }

  /** Counts null features or each non-finite feature value; whether there are none. */
  private boolean finiteFeatures(int len, double[] v, RowFaults f) {
    if (len < 0) {
      f.nullFeatures++;
      return false;
    }
    boolean ok = true;
    for (int j = 0; j < d; j++) {
      if (!Double.isFinite(v[j])) {
        f.invalid[j]++;
        ok = false;
      }
    }
    return ok;
  }

  /** Counts a null label or one with a non-finite value (once a row); whether it is fine. */
  private boolean finiteLabel(int labelLength, double[] v, RowFaults f) {
    boolean ok = labelLength >= 0;
    for (int c = 0; c < k && ok; c++) {
      ok = Double.isFinite(v[d + c]);
    }
    if (!ok) {
      f.invalid[label()]++;
    }
    return ok;
  }

  /** Records the row's first null or non-finite value, scanning features then labels. */
  private void firstInvalidValue(long index, int len, int labelLength, double[] v, RowFaults f) {
    int j = len < 0 ? -1 : 0;
    while (j >= 0 && j < d + k - 1 && Double.isFinite(v[j])) {
      j++;
    }
    f.firstInvalid(index, Math.min(j, d), Math.max(0, j - d),
        j < 0 || (j >= d && labelLength < 0) ? "null" : String.valueOf(v[j]));
  }

  /**
   * Reads the label (field 1) into {@code v[d..d+k)}: a double (numeric label), or a Vector or
   * array of k values.
   *
   * @return k, the vector's other length (v then untouched), or -1 for null
   */
  private int readLabel(Row r, double[] v) {
    if (r.isNullAt(1)) {
      return -1;
    }
    if (label == null) {
      v[d] = r.getDouble(1);
      return 1;
    }
    double[] lv = new double[k];
    int len = label.read(r, 1, lv, 0);
    if (len == k) {
      System.arraycopy(lv, 0, v, d, k);
    }
    return len;
  }

  /** The weight field's index in the selected row. */
  private int weightField() {
    return indicatorName != null ? 3 : 2;
  }

  /**
   * The row's weight: 1 without a weight column; NaN for a null or negative weight (invalid), as
   * for any non-finite one.
   */
  double weight(Row r) {
    if (weightName == null) {
      return 1.0;
    }
    if (r.isNullAt(weightField())) {
      return Double.NaN;
    }
    double w = r.getDouble(weightField());
    return w >= 0 ? w : Double.NaN;
  }

  /** The weight as it is in the row, for messages: "null", "-1.0", "NaN". */
  private String weightText(Row r) {
    return r.isNullAt(weightField()) ? "null" : String.valueOf(r.getDouble(weightField()));
  }

  /**
   * 1 for a validation row, 0 for a training row: the indicator (a null one: 0), else the content
   * split of v as {@link #check} read it (a row without features: 0).
   */
  int side(Row r, double[] v) {
    if (indicatorName != null) {
      return !r.isNullAt(2) && r.getBoolean(2) ? 1 : 0;
    }
    return split != null && !r.isNullAt(0) && split.isValidation(v) ? 1 : 0;
  }

  /** Checks every row of one input partition: its faults. */
  RowFaults faults(int partition, Iterator<Row> it) {
    RowFaults f = new RowFaults(partition, d);
    double[] v = new double[d + k];
    while (it.hasNext()) {
      check(it.next(), v, f);
    }
    return f;
  }

  /**
   * The valid rows of positive weight on one side, as {features..., labels...}, then the weight
   * with a weight column.
   */
  Iterator<double[]> validRows(Iterator<Row> it, int side) {
    RowFaults seen = new RowFaults(-1, d);
    return new Iterator<>() {
      private double[] next = advance();

      private double[] advance() {
        while (it.hasNext()) {
          Row r = it.next();
          double[] v = new double[d + k];
          double w = check(r, v, seen) == Verdict.VALID ? weight(r) : 0;
          if (w > 0 && side(r, v) == side) {
            if (weighted()) {
              v = Arrays.copyOf(v, d + k + 1);
              v[d + k] = w;
            }
            return v;
          }
        }
        return null;
      }

      @Override public boolean hasNext() {
        return next != null;
      }

      @Override public double[] next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        double[] v = next;
        next = advance();
        return v;
      }
    };
  }
}
