package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Scaling;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A DataFrame made into cached, standardized {@link Block}s of primitive arrays, so that every
 * pass of training reads the cache and never the source or Rows again. The one place where
 * training data is checked.
 *
 * <p>Two reads of the source, before the first training pass (three with validation rows):
 * <ol>
 *   <li>one job checks and measures every row, per input partition: the features' length
 *       (against the network's input width), null, NaN and infinite values per element and in the
 *       label, the side of the split (validation or training), the training rows' column means
 *       and deviations (Welford's update, partitions merged in index order with Chan, Golub and
 *       LeVeque's formula) and an order-free fingerprint of the data ({@link RowHash});</li>
 *   <li>one job per side builds the blocks of valid rows, standardized with the training rows'
 *       means and population standard deviations, persisted at the storage level asked for, and
 *       counted to materialise the cache.</li>
 * </ol>
 * Row weights (a weight column): a null, NaN, infinite or negative weight makes the row invalid
 * (refused, or left out with skipInvalid, as any invalid value); a row of weight 0 is valid but
 * left out of the blocks, the counts and the moments, so that it contributes nothing (the same as
 * the row removed); the moments are weighted (West's update: with W = sum w, mean = sum w x / W
 * and M2 = sum w (x - mean)^2, merged with Chan's formula in weight), so the scale is the weighted
 * population standard deviation sqrt(M2 / W), and a row of integer weight k counts as k copies.
 * Without a weight column every row weighs 1 and the results keep their bits.
 * The caller's Dataset is not cached, unpersisted or changed; {@link Loaded#close()} unpersists
 * the blocks.
 *
 * <p>Partitioning. With {@code partitions == 0} each input partition becomes one partition of
 * blocks, rows in input order, unless the input has more than {@link #PARTITIONS_PER_CORE} times
 * Spark's default parallelism partitions: then it is as {@code partitions == } that product. With {@code partitions == P > 0} the valid rows of a side are
 * numbered 0..N-1 in input order (partition by partition, from the first job's counts) and row g
 * goes to partition {@code g mod P}, in increasing g: sizes differ by at most one, every
 * partition samples the whole input, and the same input with the same P gives the same rows in
 * the same partitions in the same order on every run (Spark's {@code repartition} does not
 * promise the order within a partition).
 */
public final class BlockData {
  /**
   * What to read and how.
   *
   * @param featuresCol a Vector or numeric-array column ({@link FeatureColumn})
   * @param labelCol a numeric column, or (for {@code outputs} k > 1, or k = 1 too) a Vector or
   *     numeric-array column of k values a row
   * @param features the network's input width: every row must have this many feature values
   * @param indicatorCol a boolean column, true for validation rows (null: none)
   * @param split a content split into validation and training rows (null: none)
   * @param partitions 0: as the input, or a few per core when the input has many (see the class
   *     comment; the count then depends on the cores Spark reports); P > 0: exactly P,
   *     deterministically
   * @param blockSize rows per block; each partition's last block may be smaller
   * @param standardizeFeatures scale features to mean 0 and standard deviation 1
   * @param standardizeLabel scale the label likewise
   * @param storage the blocks' storage level
   * @param skipInvalid leave out rows with a null, NaN or infinite value instead of refusing them
   * @param precision the blocks' element type: {@link Block.Doubles} or {@link Block.Floats}
   *     (standardized in double, then rounded)
   * @param weightCol a numeric column of row weights (null: every row weighs 1)
   * @param outputs the network's output width k: a numeric label needs k = 1, a Vector or array
   *     label k values in every row
   */
  public record Spec(String featuresCol, String labelCol, int features, String indicatorCol,
      ContentSplit split, int partitions, int blockSize, boolean standardizeFeatures,
      boolean standardizeLabel, StorageLevel storage, boolean skipInvalid, Precision precision,
      String weightCol, int outputs) {
    /** One output, without row weights. */
    public Spec(String featuresCol, String labelCol, int features, String indicatorCol,
        ContentSplit split, int partitions, int blockSize, boolean standardizeFeatures,
        boolean standardizeLabel, StorageLevel storage, boolean skipInvalid, Precision precision) {
      this(featuresCol, labelCol, features, indicatorCol, split, partitions, blockSize,
          standardizeFeatures, standardizeLabel, storage, skipInvalid, precision, null, 1);
    }

    /** One output. */
    public Spec(String featuresCol, String labelCol, int features, String indicatorCol,
        ContentSplit split, int partitions, int blockSize, boolean standardizeFeatures,
        boolean standardizeLabel, StorageLevel storage, boolean skipInvalid, Precision precision,
        String weightCol) {
      this(featuresCol, labelCol, features, indicatorCol, split, partitions, blockSize,
          standardizeFeatures, standardizeLabel, storage, skipInvalid, precision, weightCol, 1);
    }

    /** Without row weights. */
    public Spec(String featuresCol, String labelCol, int features, String indicatorCol,
        ContentSplit split, int partitions, int blockSize, boolean standardizeFeatures,
        boolean standardizeLabel, StorageLevel storage, boolean skipInvalid, Precision precision,
        int outputs) {
      this(featuresCol, labelCol, features, indicatorCol, split, partitions, blockSize,
          standardizeFeatures, standardizeLabel, storage, skipInvalid, precision, null, outputs);
    }

    /** Blocks of doubles. */
    public Spec(String featuresCol, String labelCol, int features, String indicatorCol,
        ContentSplit split, int partitions, int blockSize, boolean standardizeFeatures,
        boolean standardizeLabel, StorageLevel storage, boolean skipInvalid) {
      this(featuresCol, labelCol, features, indicatorCol, split, partitions, blockSize,
          standardizeFeatures, standardizeLabel, storage, skipInvalid, Precision.DOUBLE);
    }

    public Spec {
      if (features < 1 || partitions < 0 || blockSize < 1 || outputs < 1) {
        throw new IllegalArgumentException("features >= 1, partitions >= 0 and blockSize >= 1,"
            + " got " + features + ", " + partitions + ", " + blockSize);
      }
      if (indicatorCol != null && split != null) {
        throw new IllegalArgumentException("a validation indicator column or a split, not both");
      }
      if ((long) blockSize * (features + outputs) > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("a block of " + blockSize + " rows of "
            + (features + outputs)
            + " values is too large for one array; choose a smaller block size");
      }
    }

    boolean hasValidation() {
      return indicatorCol != null || split != null;
    }

    /** The weight column's index in the selected row, or -1 without one. */
    int weightIndex() {
      return weightCol == null ? -1 : indicatorCol != null ? 3 : 2;
    }
  }

  /**
   * Cached blocks and what was learnt reading them.
   *
   * @param training the training blocks, standardized, cached and materialised
   * @param validation the validation blocks likewise, standardized with the training rows'
   *     scaling (null without validation)
   * @param featureNames a name for each feature value: the vector's ML attributes, else
   *     {@code featuresCol[j]}
   * @param trainingRows rows in the training blocks
   * @param validationRows rows in the validation blocks (0 without validation)
   * @param invalidRows rows left out for a null, NaN or infinite value (0 unless skipInvalid)
   * @param scaling the standardization (identity when off)
   * @param fingerprint an order-free hash of every valid row and its side
   * @param warnings what the caller should hear (constant columns)
   * @param outputNames a name per output: for one output the label column, else the label
   *     vector's ML attributes, else {@code labelCol[k]}
   */
  public record Loaded(JavaRDD<Block> training, JavaRDD<Block> validation,
      List<String> featureNames, long trainingRows, long validationRows, long invalidRows,
      Scaling scaling, long fingerprint, List<String> warnings, List<String> outputNames)
      implements AutoCloseable {
    /** Unpersists the blocks (idempotent). */
    @Override
    public void close() {
      training.unpersist(false);
      if (validation != null) {
        validation.unpersist(false);
      }
    }
  }

  private BlockData() {}

  /**
   * Reads {@code df} into cached blocks.
   *
   * @throws DataException bad data, in one line naming the column and the rows or values
   */
  public static Loaded load(Dataset<?> df, Spec spec) {
    StructType schema = df.schema();
    FeatureColumn fc = FeatureColumn.of(schema, spec.featuresCol());
    int d = spec.features();
    int declared = FeatureColumn.attributeSize(schema, spec.featuresCol());
    if (declared >= 0 && declared != d) {
      throw new DataException(DataException.Kind.WIDTH, "the features column '"
          + spec.featuresCol() + "' holds vectors of " + declared + " values (by its metadata),"
          + " but the network takes " + d + " inputs", "make layers[0] equal to the vector size");
    }
    int k = spec.outputs();
    FeatureColumn lc = FeatureColumn.label(schema, spec.labelCol(), k);
    StructField lf = FeatureColumn.field(schema, spec.labelCol(), "label");
    List<Column> cols = new ArrayList<>(List.of(ColumnNames.col(fc.name()),
        lc != null ? ColumnNames.col(lf.name()) : ColumnNames.col(lf.name()).cast("double")));
    if (spec.indicatorCol() != null) {
      StructField vf = FeatureColumn.field(schema, spec.indicatorCol(), "validation indicator");
      if (!(vf.dataType() instanceof BooleanType)) {
        throw new DataException(DataException.Kind.WRONG_TYPE, "the validation indicator column '"
            + spec.indicatorCol() + "' is " + vf.dataType().simpleString() + ", not boolean", "");
      }
      cols.add(ColumnNames.col(vf.name()));
    }
    if (spec.weightCol() != null) {
      StructField wf = FeatureColumn.field(schema, spec.weightCol(), "weight");
      if (!(wf.dataType() instanceof NumericType)) {
        throw new DataException(DataException.Kind.WRONG_TYPE, "the weight column '"
            + spec.weightCol() + "' is " + wf.dataType().simpleString() + ", not numeric", "");
      }
      cols.add(ColumnNames.col(wf.name()).cast("double"));
    }
    List<String> names = FeatureColumn.attributeNames(schema, spec.featuresCol());
    if (names == null || names.size() != d) {
      names = new ArrayList<>();
      for (int j = 0; j < d; j++) {
        names.add(spec.featuresCol() + "[" + j + "]");
      }
    }
    JavaRDD<Row> input = df.select(cols.toArray(new Column[0])).javaRDD();

    // Job 1: check and measure.
    Sides sides = new Sides(spec.indicatorCol() != null, spec.split(), spec.weightIndex());
    List<Stats> parts = input.mapPartitionsWithIndex((p, it) ->
        List.of(Stats.of(p, it, fc, d, sides, lc, k)).iterator(), false).collect();
    Stats all = Stats.merge(parts, d, k);
    refuse(spec, names, parts, all);

    Scaling scaling = scaling(spec, all.moments, d, k);
    refuseOverflow(spec, names, scaling, all.moments);
    List<String> warnings = constantColumns(spec, names, all.moments);

    // Jobs 2 and 3: the blocks of each side.
    JavaRDD<Block> training = blocks(input, parts, fc, lc, d, sides, false, spec, scaling);
    JavaRDD<Block> validation = null;
    try {
      long trainingRows = count(training, all.valid[0], "training");
      long validationRows = 0;
      if (spec.hasValidation()) {
        validation = blocks(input, parts, fc, lc, d, sides, true, spec, scaling);
        validationRows = count(validation, all.valid[1], "validation");
      }
      return new Loaded(training, validation, List.copyOf(names), trainingRows, validationRows,
          all.invalidRows(), scaling, all.hash, List.copyOf(warnings), outputNames(schema, spec));
    } catch (Throwable e) {
      // Throwable, not RuntimeException: a failed Spark job throws SparkException, a checked
      // exception that Scala code throws undeclared.
      training.unpersist(false);
      if (validation != null) {
        validation.unpersist(false);
      }
      throw e;
    }
  }

  /** Bytes the cached RDD takes in memory plus on disk; 0 when it is not (or no longer) cached. */
  public static long cachedBytes(JavaRDD<?> rdd) {
    long bytes = 0;
    for (org.apache.spark.storage.RDDInfo info : rdd.context().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        bytes += info.memSize() + info.diskSize();
      }
    }
    return bytes;
  }

  // ---- the checks ----

  private static void refuse(Spec spec, List<String> names, List<Stats> parts, Stats all) {
    int d = spec.features();
    if (all.wrongLength > 0) {
      Stats first = null;
      long before = 0;
      for (Stats s : parts) {
        if (s.wrongLength > 0) {
          first = s;
          break;
        }
        before += s.rows;
      }
      throw new DataException(DataException.Kind.WIDTH, wrongLength(spec.featuresCol(), d,
          all.wrongLength, all.rows - all.nullFeatures, before + first.firstWrongRow,
          first.firstWrongLength, first.firstWrongValues),
          "every row needs the same number of features as layers[0]");
    }
    if (all.wrongLabel > 0) {
      Stats first = null;
      long before = 0;
      for (Stats s : parts) {
        if (s.wrongLabel > 0) {
          first = s;
          break;
        }
        before += s.rows;
      }
      throw new DataException(DataException.Kind.WIDTH, wrongLength(spec.labelCol(),
          spec.outputs(), all.wrongLabel, all.rows - all.nullLabels,
          before + first.firstWrongLabelRow, first.firstWrongLabelLength,
          first.firstWrongLabelValues, "outputs"),
          "every label needs as many values as the network's last layer");
    }
    long bad = all.invalidRows();
    if (bad > 0 && !spec.skipInvalid()) {
      String columns = invalidColumns(names, all.invalid, all.nullFeatures, spec.featuresCol(),
          spec.labelCol(), all.invalid[d + 1], spec.indicatorCol());
      if (all.invalid[d + 2] > 0) {
        columns += (columns.isEmpty() ? "" : ", ") + spec.weightCol() + ": " + all.invalid[d + 2];
      }
      throw new DataException(DataException.Kind.INVALID_VALUES, bad + " of " + all.rows
          + " rows have a null, NaN or infinite value" + (spec.weightCol() != null
              ? " or a negative weight" : "") + " (" + columns + "); the first is "
              + firstInvalid(spec, names, parts),
          "set handleInvalid to \"skip\" to leave those rows out",
          all.invalidSide[0] == 0 && all.invalidSide[1] > 0);
    }
    String dropped = bad > 0 ? " after leaving out " + bad + " with a null, NaN or infinite value"
        : "";
    if (all.valid[0] == 0 && all.zeroWeight[0] > 0) {
      throw new DataException(DataException.Kind.NO_ROWS, "every training row's weight in '"
          + spec.weightCol() + "' is 0 (" + all.zeroWeight[0] + " rows" + dropped + ")",
          "give some rows a positive weight");
    }
    if (all.valid[0] == 0) {
      throw new DataException(DataException.Kind.NO_ROWS, (all.rows == 0 ? "no rows"
          : "no training rows left of " + all.rows + dropped), "");
    }
    if (spec.hasValidation() && all.valid[1] == 0) {
      throw new DataException(DataException.Kind.NO_ROWS, "no validation rows"
          + (all.rows > 0 ? " among the " + all.rows + dropped : ""),
          spec.split() != null ? "a larger validation fraction may help" : "", true);
    }
  }

  /** "row 3 (0-based, in input order), bmi = NaN": where the first invalid value is. */
  private static String firstInvalid(Spec spec, List<String> names, List<Stats> parts) {
    long before = 0;
    int d = names.size();
    for (Stats s : parts) {
      if (s.firstInvalidRow >= 0) {
        int j = s.firstInvalidColumn;
        String column = j < 0 ? spec.featuresCol() : j < d ? names.get(j)
            : j == d ? spec.labelCol() + (spec.outputs() > 1 && !"null".equals(s.firstInvalidValue)
                ? "[" + s.firstInvalidOutput + "]" : "")
            : j == d + 1 ? spec.indicatorCol() : spec.weightCol();
        return "row " + (before + s.firstInvalidRow) + " (0-based, in input order), " + column
            + " = " + s.firstInvalidValue;
      }
      before += s.rows;
    }
    return "not known";
  }

  /**
   * The message for rows whose features have another length than the network's input d: how
   * many of the non-null rows, and the first (its position, 0-based in input order, and values).
   */
  static String wrongLength(String featuresCol, int d, long wrong, long rows, long firstRow,
      int firstLength, String firstValues) {
    return wrongLength(featuresCol, d, wrong, rows, firstRow, firstLength, firstValues, "inputs");
  }

  /** As above; {@code what}: "inputs" (features) or "outputs" (a vector label). */
  static String wrongLength(String featuresCol, int d, long wrong, long rows, long firstRow,
      int firstLength, String firstValues, String what) {
    return (wrong == rows
        ? "every row of '" + featuresCol + "' has a length other than " + d + "; the first, row "
        : wrong + " of " + rows + " rows of '" + featuresCol + "' have a length other than " + d
            + "; the first is row ")
        + firstRow + " (0-based, in input order), with " + firstLength
        + (firstLength == 1 ? " value " : " values ") + firstValues
        + (what.equals("inputs") ? ", and the network takes " + d + " inputs"
            : ", and the network has " + d + " " + what);
  }

  /**
   * "a: 1, b: 2, label: 1": the count of invalid values per column, for messages.
   *
   * @param invalid counts of feature 0..d-1, then the label (not modified)
   */
  static String invalidColumns(List<String> names, long[] invalid, long nullFeatures,
      String featuresCol, String labelCol, long nullIndicator, String indicatorCol) {
    int d = names.size();
    List<String> cols = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      if (invalid[j] > 0) {
        cols.add(names.get(j) + ": " + invalid[j]);
      }
    }
    if (nullFeatures > 0) {
      cols.add(featuresCol + " (null): " + nullFeatures);
    }
    if (invalid[d] > 0) {
      cols.add(labelCol + ": " + invalid[d]);
    }
    if (nullIndicator > 0) {
      cols.add(indicatorCol + " (null): " + nullIndicator);
    }
    return String.join(", ", cols);
  }

  /**
   * A column whose variance overflows a double cannot be standardized (x - mean may overflow as
   * well): say which.
   */
  private static void refuseOverflow(Spec spec, List<String> names, Scaling s, Moments m) {
    int d = names.size();
    for (int j = 0; j < d + spec.outputs(); j++) {
      boolean used = j < d ? spec.standardizeFeatures() : spec.standardizeLabel();
      double mean = j < d ? s.mean()[j] : s.labelMeans()[j - d];
      double scale = j < d ? s.scale()[j] : s.labelScales()[j - d];
      if (used && !(Double.isFinite(mean) && Double.isFinite(scale)
          && Double.isFinite(m.m2(j)))) {
        throw new DataException(DataException.Kind.OVERFLOW, (j < d ? "feature '"
            + names.get(j) + "'" : "the label '" + labelName(spec, j - d) + "'") + " cannot be"
            + " standardized: its values are too large for a double (the mean or variance of"
            + " the " + m.n + " training rows overflows: mean " + m.mean(j) + ", M2 " + m.m2(j)
            + ")", "scale the column down");
      }
    }
  }

  /** See {@link Loaded#outputNames}. */
  private static List<String> outputNames(StructType schema, Spec spec) {
    int k = spec.outputs();
    if (k == 1) {
      return List.of(spec.labelCol());
    }
    List<String> names = FeatureColumn.attributeNames(schema, spec.labelCol());
    if (names != null && names.size() == k && new java.util.HashSet<>(names).size() == k) {
      return List.copyOf(names);
    }
    names = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      names.add(labelName(spec, c));
    }
    return names;
  }

  /** The label column's name, with [k] for output k of a vector label. */
  private static String labelName(Spec spec, int k) {
    return spec.outputs() == 1 ? spec.labelCol() : spec.labelCol() + "[" + k + "]";
  }

  private static Scaling scaling(Spec spec, Moments m, int d, int k) {
    if (!spec.standardizeFeatures() && !spec.standardizeLabel()) {
      return Scaling.identity(d, k);
    }
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      mean[j] = spec.standardizeFeatures() ? m.mean(j) : 0.0;
      scale[j] = spec.standardizeFeatures() ? spread(m, j) : 1.0;
    }
    double[] labelMean = new double[k];
    double[] labelScale = new double[k];
    for (int c = 0; c < k; c++) {
      labelMean[c] = spec.standardizeLabel() ? m.mean(d + c) : 0.0;
      labelScale[c] = spec.standardizeLabel() ? spread(m, d + c) : 1.0;
    }
    return new Scaling(mean, scale, labelMean, labelScale);
  }

  /**
   * The scale of column j: its population standard deviation; 1 for a constant column; half the
   * range for values that differ yet whose deviation rounds to 0 (a spread of a few units in the
   * last place of subnormal numbers).
   */
  private static double spread(Moments m, int j) {
    if (m.constant(j)) {
      return 1.0;
    }
    double sd = m.sd(j);
    return sd > 0 ? sd : Math.max((m.max[j] - m.min[j]) / 2, Double.MIN_VALUE);
  }

  private static List<String> constantColumns(Spec spec, List<String> names, Moments m) {
    List<String> out = new ArrayList<>();
    int d = spec.features();
    for (int j = 0; j < d + spec.outputs(); j++) {
      if (m.constant(j)) {
        boolean scaled = j < d ? spec.standardizeFeatures() : spec.standardizeLabel();
        out.add((j < d ? "feature '" + names.get(j) + "'" : "the label '" + labelName(spec, j - d)
            + "'")
            + " is constant (" + m.min[j] + ") over the " + m.n + " training rows"
            + (scaled ? (j < d ? ": centred, not scaled" : ": not scaled") : ""));
      }
    }
    return out;
  }

  private static long count(JavaRDD<Block> blocks, long expected, String side) {
    blocks.context().setJobDescription("read the " + side + " rows into cached blocks");
    long rows;
    try {
      rows = blocks.map(b -> (long) b.n()).fold(0L, Long::sum);
    } finally {
      blocks.context().setJobDescription(null);
    }
    if (rows != expected) {
      throw new IllegalStateException("counted " + expected + " valid " + side
          + " rows, but the blocks hold " + rows + " (did the input change while it was read?)");
    }
    return rows;
  }

  // ---- executor side ----

  /** Which side a row is on. */
  private record Sides(boolean indicator, ContentSplit split, int weightIndex)
      implements Serializable {
    /**
     * The row's weight: 1 without a weight column; NaN for a null or negative weight (invalid),
     * as for any non-finite one.
     */
    double weight(Row r) {
      if (weightIndex < 0) {
        return 1.0;
      }
      if (r.isNullAt(weightIndex)) {
        return Double.NaN;
      }
      double w = r.getDouble(weightIndex);
      return w >= 0 ? w : Double.NaN;
    }

    /** The weight as it is in the row, for messages: "null", "-1.0", "NaN". */
    String weightText(Row r) {
      return r.isNullAt(weightIndex) ? "null" : String.valueOf(r.getDouble(weightIndex));
    }

    /** 1 for validation, 0 for training; v is {features..., labels...}. */
    int of(Row r, double[] v) {
      if (indicator) {
        return r.getBoolean(2) ? 1 : 0;
      }
      return split != null && split.isValidation(v) ? 1 : 0;
    }
  }

  /**
   * Count, mean, M2 = sum (x - mean)^2, least and greatest value of each of d + k columns (the
   * k labels last). Column j's mean and M2 are kept in units of 2^e[j] and 4^e[j], e[j] the binary
   * exponent of its largest |x| so far, so that neither underflows: a column of subnormal values
   * (around 1e-310) has a variance far below the least double, yet a spread. Scaling by a power of
   * two is exact, so for values whose raw moments neither underflow nor overflow the results are
   * those of plain Welford to the bit.
   */
  private static final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The exponent of a column that has held only zeros: below any double's. */
    private static final int NONE = -1100;
    long n;
    /** W, the sum of the rows' weights (n without weights). */
    double weight;
    /** Scaled: the mean is mean[j] * 2^e[j]. */
    final double[] mean;
    /** Scaled: M2 is m2[j] * 4^e[j]. */
    final double[] m2;
    final int[] e;
    final double[] min;
    final double[] max;

    Moments(int width) {
      mean = new double[width];
      m2 = new double[width];
      e = new int[width];
      min = new double[width];
      max = new double[width];
      java.util.Arrays.fill(e, NONE);
      java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    /** Welford's update with row v (not modified). */
    void add(double[] v) {
      add(v, 1.0);
    }

    /**
     * West's weighted update with row v (not modified) of weight w > 0: W += w,
     * mean += (x - mean) w / W, M2 += w (x - mean_old)(x - mean_new); for w = 1, Welford's.
     */
    void add(double[] v, double w) {
      n++;
      weight += w;
      for (int j = 0; j < mean.length; j++) {
        min[j] = Math.min(min[j], v[j]);
        max[j] = Math.max(max[j], v[j]);
        if (v[j] != 0) {
          rescale(j, exponent(v[j]));
        }
        double x = Math.scalb(v[j], -e[j]);
        double delta = x - mean[j];
        mean[j] += delta * w / weight;
        m2[j] += w * delta * (x - mean[j]);
      }
    }

    /** Raises column j's unit to 2^to when to is above it. */
    private void rescale(int j, int to) {
      if (to > e[j]) {
        mean[j] = Math.scalb(mean[j], e[j] - to);
        m2[j] = Math.scalb(m2[j], 2 * (e[j] - to));
        e[j] = to;
      }
    }

    /** The binary exponent of x != 0, also of a subnormal x (Math.getExponent gives -1023). */
    static int exponent(double x) {
      int k = Math.getExponent(x);
      return k >= Double.MIN_EXPONENT ? k : Math.getExponent(x * 0x1p54) - 54;
    }

    /** this += o, by Chan, Golub and LeVeque's pairwise formula. */
    void merge(Moments o) {
      if (o.n == 0) {
        return;
      }
      double total = weight + o.weight;
      for (int j = 0; j < mean.length; j++) {
        min[j] = Math.min(min[j], o.min[j]);
        max[j] = Math.max(max[j], o.max[j]);
        rescale(j, o.e[j]);
        double om = Math.scalb(o.mean[j], o.e[j] - e[j]);
        double delta = om - mean[j];
        mean[j] += delta * o.weight / total;
        m2[j] += Math.scalb(o.m2[j], 2 * (o.e[j] - e[j])) + delta * delta
            * (weight * o.weight / total);
      }
      n += o.n;
      weight = total;
    }

    /** The mean of column j. */
    double mean(int j) {
      return Math.scalb(mean[j], e[j]);
    }

    /** M2 of column j (infinite when it overflows a double, 0 when it underflows). */
    double m2(int j) {
      return Math.scalb(m2[j], 2 * e[j]);
    }

    /**
     * The (weighted) population standard deviation of column j, sqrt(M2 / W) (subnormal for a
     * subnormal column).
     */
    double sd(int j) {
      return n == 0 ? 0.0 : Math.scalb(Math.sqrt(m2[j] / weight), e[j]);
    }

    /** Whether column j holds one value only (and no rows is constant too). */
    boolean constant(int j) {
      return n == 0 || min[j] == max[j];
    }
  }

  /** What job 1 learns of one input partition. */
  private static final class Stats implements Serializable {
    private static final long serialVersionUID = 1L;
    int partition;
    long rows;
    /** Valid rows per side: [training, validation]. */
    final long[] valid = new long[2];
    /** Invalid rows per side. */
    final long[] invalidSide = new long[2];
    /** Valid rows of weight 0 per side (left out). */
    final long[] zeroWeight = new long[2];
    /**
     * Invalid values of feature 0..d-1, the label (d), the indicator (d + 1) and the weight
     * (d + 2).
     */
    final long[] invalid;
    long nullFeatures;
    long wrongLength;
    long firstWrongRow = -1;
    int firstWrongLength;
    String firstWrongValues;
    /** Rows whose vector label has another length than the network's outputs; null labels. */
    long wrongLabel;
    long nullLabels;
    long firstWrongLabelRow = -1;
    int firstWrongLabelLength;
    String firstWrongLabelValues;
    /** The output of a vector label at fault in the first invalid row. */
    int firstInvalidOutput;
    /** The first row with an invalid value: its index, the column (-1: null features; d: label), the value. */
    long firstInvalidRow = -1;
    int firstInvalidColumn;
    String firstInvalidValue;
    long hash;
    final Moments moments;

    Stats(int d, int k) {
      invalid = new long[d + 3];
      moments = new Moments(d + k);
    }

    long invalidRows() {
      return invalidSide[0] + invalidSide[1];
    }

    static Stats of(int partition, Iterator<Row> it, FeatureColumn fc, int d, Sides sides,
        FeatureColumn lc, int k) {
      Stats s = new Stats(d, k);
      s.partition = partition;
      double[] v = new double[d + k];
      double[] lv = new double[k];
      while (it.hasNext()) {
        Row r = it.next();
        long index = s.rows++;
        int labelLength = readLabel(r, lc, v, d, lv);
        if (labelLength < 0) {
          s.nullLabels++;
        } else if (labelLength != k) {
          if (s.wrongLabel++ == 0) {
            s.firstWrongLabelRow = index;
            s.firstWrongLabelLength = labelLength;
            s.firstWrongLabelValues = lc.preview(r, 1);
          }
          continue;
        }
        int len = fc.read(r, 0, v, k);
        if (len >= 0 && len != d) {
          if (s.wrongLength++ == 0) {
            s.firstWrongRow = index;
            s.firstWrongLength = len;
            s.firstWrongValues = fc.preview(r, 0);
          }
          continue;
        }
        boolean ok = true;
        if (len < 0) {
          s.nullFeatures++;
          ok = false;
        } else {
          for (int j = 0; j < d; j++) {
            if (!Double.isFinite(v[j])) {
              s.invalid[j]++;
              ok = false;
            }
          }
        }
        if (labelLength < 0) {
          s.invalid[d]++;
          ok = false;
          java.util.Arrays.fill(v, d, d + k, Double.NaN);
        } else {
          for (int c = 0; c < k; c++) {
            if (!Double.isFinite(v[d + c])) {
              s.invalid[d]++;
              ok = false;
              break;
            }
          }
        }
        double weight = sides.weight(r);
        boolean weightOk = Double.isFinite(weight);
        if (!ok && s.firstInvalidRow < 0) {
          s.firstInvalidRow = index;
          int j = len < 0 ? -1 : 0;
          while (j >= 0 && j < d + k - 1 && Double.isFinite(v[j])) {
            j++;
          }
          s.firstInvalidColumn = Math.min(j, d);
          s.firstInvalidOutput = Math.max(0, j - d);
          s.firstInvalidValue = j < 0 ? "null" : j >= d && labelLength < 0 ? "null"
              : String.valueOf(v[j]);
        }
        if (!weightOk) {
          s.invalid[d + 2]++;
          if (ok && s.firstInvalidRow < 0) {
            s.firstInvalidRow = index;
            s.firstInvalidColumn = d + 2;
            s.firstInvalidValue = sides.weightText(r);
          }
          ok = false;
        }
        if (sides.indicator() && r.isNullAt(2)) {
          s.invalid[d + 1]++;
          s.invalidSide[0]++;
          if (s.firstInvalidRow < 0) {
            s.firstInvalidRow = index;
            s.firstInvalidColumn = d + 1;
            s.firstInvalidValue = "null";
          }
          continue;
        }
        int side = len < 0 ? (sides.indicator() ? sides.of(r, v) : 0) : sides.of(r, v);
        if (!ok) {
          s.invalidSide[side]++;
          continue;
        }
        if (weight == 0) {
          s.zeroWeight[side]++;
          continue;
        }
        s.valid[side]++;
        s.hash += sides.weightIndex() < 0 ? RowHash.of(side, v)
            : RowHash.mix(RowHash.of(side, v) + Double.doubleToLongBits(weight));
        if (side == 0) {
          s.moments.add(v, weight);
        }
      }
      return s;
    }

    /** The whole input: partitions summed, moments merged in partition order. */
    static Stats merge(List<Stats> parts, int d, int outputs) {
      List<Stats> sorted = new ArrayList<>(parts);
      sorted.sort((a, b) -> Integer.compare(a.partition, b.partition));
      Stats all = new Stats(d, outputs);
      for (Stats s : sorted) {
        all.rows += s.rows;
        for (int k = 0; k < 2; k++) {
          all.valid[k] += s.valid[k];
          all.invalidSide[k] += s.invalidSide[k];
          all.zeroWeight[k] += s.zeroWeight[k];
        }
        for (int j = 0; j < all.invalid.length; j++) {
          all.invalid[j] += s.invalid[j];
        }
        all.nullFeatures += s.nullFeatures;
        all.wrongLength += s.wrongLength;
        all.wrongLabel += s.wrongLabel;
        all.nullLabels += s.nullLabels;
        all.hash += s.hash;
        all.moments.merge(s.moments);
      }
      return all;
    }
  }

  /** Job 2 or 3: the valid rows of one side as cached blocks, standardized. */
  private static JavaRDD<Block> blocks(JavaRDD<Row> input, List<Stats> parts, FeatureColumn fc,
      FeatureColumn lc, int d, Sides sides, boolean validation, Spec spec, Scaling scaling) {
    int k = spec.outputs();
    int side = validation ? 1 : 0;
    int size = spec.blockSize();
    Precision precision = spec.precision();
    int partitions = partitions(spec.partitions(), input.getNumPartitions(),
        input.context().defaultParallelism());
    JavaRDD<Block> blocks;
    if (partitions == 0) {
      blocks = input.mapPartitions(it -> new BlockIterator(
          validRows(it, fc, lc, d, k, sides, side), d, k, size, scaling, precision,
          sides.weightIndex() >= 0), true);
    } else {
      long[] offset = new long[input.getNumPartitions()];
      for (Stats s : parts) {
        if (s.partition + 1 < offset.length) {
          offset[s.partition + 1] = s.valid[side];
        }
      }
      for (int i = 1; i < offset.length; i++) {
        offset[i] += offset[i - 1];
      }
      JavaPairRDD<Long, double[]> numbered = input.mapPartitionsWithIndex(
          (i, it) -> number(validRows(it, fc, lc, d, k, sides, side), offset[i]), true)
          .mapToPair(t -> t);
      blocks = numbered.repartitionAndSortWithinPartitions(new RoundRobin(partitions))
          .mapPartitions(it -> new BlockIterator(values(it), d, k, size, scaling, precision,
              sides.weightIndex() >= 0), true);
    }
    return blocks.setName((validation ? "validation" : "training") + " blocks of "
        + spec.featuresCol()).persist(spec.storage());
  }

  /** The most partitions per core Spark reports that the default keeps (see {@link #partitions}). */
  public static final int PARTITIONS_PER_CORE = 4;

  /**
   * The partition count of the blocks: {@code requested} when it is above 0; else 0 (one
   * partition of blocks per input partition) when the input has at most
   * {@link #PARTITIONS_PER_CORE} x {@code parallelism} partitions, else that many, rows dealt out
   * round-robin. Many small partitions (a DataFrame after a shuffle has 200) cost a task each
   * on every pass; a few per core keep the cores busy.
   *
   * @param parallelism the cores Spark reports ({@code defaultParallelism})
   */
  static int partitions(int requested, int input, int parallelism) {
    if (requested > 0) {
      return requested;
    }
    int most = PARTITIONS_PER_CORE * Math.max(1, parallelism);
    return input <= most ? 0 : most;
  }

  /**
   * Reads the label of row r (field 1) into {@code v[d..d+k)}: a double (lc null), or a Vector or
   * array of k values ({@code lv} scratch of k).
   *
   * @return k, the vector's other length (v then untouched), or -1 for null
   */
  private static int readLabel(Row r, FeatureColumn lc, double[] v, int d, double[] lv) {
    if (r.isNullAt(1)) {
      return -1;
    }
    if (lc == null) {
      v[d] = r.getDouble(1);
      return 1;
    }
    int len = lc.read(r, 1, lv, 0);
    if (len == lv.length) {
      System.arraycopy(lv, 0, v, d, len);
    }
    return len;
  }

  /**
   * The valid rows of one side, as {features..., labels...} (d + k values), then the weight with
   * a weight column (d + k + 1).
   */
  private static Iterator<double[]> validRows(Iterator<Row> it, FeatureColumn fc,
      FeatureColumn lc, int d, int k, Sides sides, int side) {
    return new Iterator<>() {
      private final double[] lv = new double[k];
      private double[] next = advance();

      private double[] advance() {
        while (it.hasNext()) {
          Row r = it.next();
          double[] v = new double[d + k];
          if (fc.read(r, 0, v, k) != d || readLabel(r, lc, v, d, lv) != k
              || (sides.indicator() && r.isNullAt(2))) {
            continue;
          }
          boolean ok = true;
          for (int j = 0; j < d + k && ok; j++) {
            ok = Double.isFinite(v[j]);
          }
          double weight = sides.weight(r);
          if (ok && Double.isFinite(weight) && weight > 0 && sides.of(r, v) == side) {
            if (sides.weightIndex() >= 0) {
              v = Arrays.copyOf(v, d + k + 1);
              v[d + k] = weight;
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

  private static Iterator<Tuple2<Long, double[]>> number(Iterator<double[]> it, long first) {
    return new Iterator<>() {
      private long g = first;

      @Override public boolean hasNext() {
        return it.hasNext();
      }

      @Override public Tuple2<Long, double[]> next() {
        return new Tuple2<>(g++, it.next());
      }
    };
  }

  private static Iterator<double[]> values(Iterator<Tuple2<Long, double[]>> it) {
    return new Iterator<>() {
      @Override public boolean hasNext() {
        return it.hasNext();
      }

      @Override public double[] next() {
        return it.next()._2();
      }
    };
  }

  /** Row g of a side goes to partition g mod P. */
  static final class RoundRobin extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    RoundRobin(int partitions) {
      this.partitions = partitions;
    }

    @Override public int numPartitions() {
      return partitions;
    }

    @Override public int getPartition(Object key) {
      return (int) Math.floorMod((Long) key, (long) partitions);
    }

    @Override public boolean equals(Object o) {
      return o instanceof RoundRobin r && r.partitions == partitions;
    }

    @Override public int hashCode() {
      return partitions;
    }
  }

  /**
   * Groups rows {features..., labels...[, weight]} into blocks of up to {@code size} rows, lazily: one block in
   * memory at a time; in float mode each block is rounded to float once standardized. Rows are gathered row-major in a buffer that grows as needed (a small
   * partition never allocates a whole {@code size}), then transposed (feature j of row i of a
   * block of n rows to {@code x[j * n + i]}) and standardized with {@link Scaling}.
   */
  static final class BlockIterator implements Iterator<Block> {
    private final Iterator<double[]> rows;
    private final int d;
    private final int k;
    private final int size;
    private final Scaling scaling;
    private final Precision precision;
    /** Rows carry their weight after the label. */
    private final boolean weighted;

    BlockIterator(Iterator<double[]> rows, int d, int size, Scaling scaling, Precision precision) {
      this(rows, d, 1, size, scaling, precision, false);
    }

    /** Rows of d features and k labels, then the weight when {@code weighted}. */
    BlockIterator(Iterator<double[]> rows, int d, int k, int size, Scaling scaling,
        Precision precision, boolean weighted) {
      this.rows = rows;
      this.d = d;
      this.k = k;
      this.size = size;
      this.scaling = scaling.isIdentity() ? null : scaling;
      this.precision = precision;
      this.weighted = weighted;
    }

    @Override public boolean hasNext() {
      return rows.hasNext();
    }

    @Override public Block next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      int w = d + k + (weighted ? 1 : 0);
      double[] buf = new double[Math.min(size, 1024) * w];
      int n = 0;
      while (n < size && rows.hasNext()) {
        if ((n + 1) * w > buf.length) {
          buf = Arrays.copyOf(buf, Math.min(size, 2 * n) * w);
        }
        System.arraycopy(rows.next(), 0, buf, n * w, w);
        n++;
      }
      double[] x = new double[n * d];
      double[] y = new double[n * k];
      double[] rw = weighted ? new double[n] : null;
      for (int i = 0; i < n; i++) {
        int r = i * w;
        for (int j = 0; j < d; j++) {
          x[j * n + i] = buf[r + j];
        }
        for (int c = 0; c < k; c++) {
          y[c * n + i] = buf[r + d + c];
        }
        if (weighted) {
          rw[i] = buf[r + d + k];
        }
      }
      if (scaling != null) {
        scaling.scaleFeatures(x, n);
        scaling.scaleLabels(y, n);
      }
      Block.Doubles b = new Block.Doubles(n, x, y, rw);
      return precision == Precision.FLOAT ? Block.Floats.of(b) : b;
    }
  }
}
