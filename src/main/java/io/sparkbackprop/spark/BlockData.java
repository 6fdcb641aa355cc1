package io.sparkbackprop.spark;

import io.sparkbackprop.errors.DataException;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Scaling;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;

/**
 * A DataFrame made into cached, standardized {@link Block}s of primitive arrays, so that every
 * pass of training reads the cache and never the source or Rows again. The one place where
 * training data is checked.
 *
 * <p>Two reads of the source, before the first training pass (three with validation rows):
 * <ol>
 *   <li>the statistics pass ({@link ColumnStats}): one job checks every row ({@link RowCheck}:
 *       the features' length against the network's input width, null, NaN and infinite values
 *       per element and in the label), puts it on its side of the split (validation or
 *       training), and measures the training rows' column means and deviations (Welford's
 *       update, partitions merged in index order with Chan, Golub and LeVeque's formula) and an
 *       order-free fingerprint of the data ({@link RowHash}); bad data is refused here
 *       ({@link Refusals});</li>
 *   <li>one job per side builds the blocks of valid rows ({@link BlockIterator}), standardized
 *       with the training rows' means and population standard deviations, persisted at the
 *       storage level asked for, and counted to materialise the cache.</li>
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
 * blocks, rows in input order, unless the input has more than
 * {@link Dealing#PARTITIONS_PER_CORE} times Spark's default parallelism partitions: then it is
 * as {@code partitions == } that product. With {@code partitions == P > 0} the valid rows of a
 * side are dealt round-robin to P partitions ({@link Dealing}).
 */
public final class BlockData {
  /**
   * What to read and how; made with {@link #builder}.
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

    /**
     * A builder of blocks of {@code blockSize} rows of the {@code features} values of
     * {@code featuresCol} and a one-value label: raw (not standardized), without validation
     * rows or weights, partitions 0 (see {@link #partitions}), invalid rows refused, doubles,
     * memory and disk; each setter changes one of these.
     */
    public static Builder builder(String featuresCol, String labelCol, int features,
        int blockSize) {
      return new Builder(featuresCol, labelCol, features, blockSize);
    }

    boolean hasValidation() {
      return indicatorCol != null || split != null;
    }

    /** Sets a {@link Spec}'s components by name; see {@link Spec#builder}. */
    public static final class Builder {
      private final String featuresCol;
      private final String labelCol;
      private final int features;
      private final int blockSize;
      private String indicatorCol;
      private ContentSplit split;
      private int partitions;
      private boolean standardizeFeatures;
      private boolean standardizeLabel;
      private StorageLevel storage = StorageLevel.MEMORY_AND_DISK();
      private boolean skipInvalid;
      private Precision precision = Precision.DOUBLE;
      private String weightCol;
      private int outputs = 1;

      private Builder(String featuresCol, String labelCol, int features, int blockSize) {
        this.featuresCol = featuresCol;
        this.labelCol = labelCol;
        this.features = features;
        this.blockSize = blockSize;
      }

      /** See {@link Spec#indicatorCol}. */
      public Builder indicatorCol(String column) {
        this.indicatorCol = column;
        return this;
      }

      /** See {@link Spec#split}. */
      public Builder split(ContentSplit split) {
        this.split = split;
        return this;
      }

      /** See {@link Spec#partitions}. */
      public Builder partitions(int partitions) {
        this.partitions = partitions;
        return this;
      }

      /** See {@link Spec#standardizeFeatures} and {@link Spec#standardizeLabel}. */
      public Builder standardize(boolean features, boolean label) {
        this.standardizeFeatures = features;
        this.standardizeLabel = label;
        return this;
      }

      /** See {@link Spec#storage}. */
      public Builder storage(StorageLevel storage) {
        this.storage = storage;
        return this;
      }

      /** See {@link Spec#skipInvalid}. */
      public Builder skipInvalid(boolean skip) {
        this.skipInvalid = skip;
        return this;
      }

      /** See {@link Spec#precision}. */
      public Builder precision(Precision precision) {
        this.precision = precision;
        return this;
      }

      /** See {@link Spec#weightCol}. */
      public Builder weightCol(String column) {
        this.weightCol = column;
        return this;
      }

      /** See {@link Spec#outputs}. */
      public Builder outputs(int outputs) {
        this.outputs = outputs;
        return this;
      }

      /** @throws IllegalArgumentException as {@link Spec}'s constructor */
      public Spec build() {
        return new Spec(featuresCol, labelCol, features, indicatorCol, split, partitions,
            blockSize, standardizeFeatures, standardizeLabel, storage, skipInvalid, precision,
            weightCol, outputs);
      }
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
    int d = spec.features();
    int k = spec.outputs();
    int declared = FeatureColumn.attributeSize(schema, spec.featuresCol());
    if (declared >= 0 && declared != d) {
      throw Refusals.declaredWidth(spec.featuresCol(), declared, d);
    }
    RowCheck check = RowCheck.labelled(schema, new RowCheck.Names(spec.featuresCol(),
        spec.labelCol(), spec.indicatorCol(), spec.weightCol()), d, k, spec.split());
    List<String> names = featureNames(schema, spec);
    JavaRDD<Row> input = check.select(df);

    // Job 1: check and measure.
    List<ColumnStats> parts = input.mapPartitionsWithIndex((p, it) ->
        List.of(ColumnStats.of(p, it, check)).iterator(), false).collect();
    ColumnStats all = ColumnStats.merge(parts, d, k);
    refuse(spec, check, names, all);
    List<String> columns = new ArrayList<>(names);
    for (int c = 0; c < k; c++) {
      columns.add(Refusals.labelName(spec.labelCol(), k, c));
    }
    Scaling scaling = all.scaling(spec.standardizeFeatures(), spec.standardizeLabel(), d, k);
    all.refuseOverflow(spec, columns, scaling);
    List<String> warnings = all.constantColumns(spec, columns);

    // Jobs 2 and 3: the blocks of each side.
    JavaRDD<Block> training = blocks(input, parts, check, 0, spec, scaling);
    JavaRDD<Block> validation = null;
    try {
      long trainingRows = count(training, all.valid[0], "training");
      long validationRows = 0;
      if (spec.hasValidation()) {
        validation = blocks(input, parts, check, 1, spec, scaling);
        validationRows = count(validation, all.valid[1], "validation");
      }
      return new Loaded(training, validation, List.copyOf(names), trainingRows, validationRows,
          all.faults.invalidRows, scaling, all.hash, List.copyOf(warnings),
          outputNames(schema, spec));
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
    for (RDDInfo info : rdd.context().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        bytes += info.memSize() + info.diskSize();
      }
    }
    return bytes;
  }

  /**
   * Refuses rows of the wrong length, invalid rows (unless skipInvalid), and a side left without
   * rows.
   */
  private static void refuse(Spec spec, RowCheck check, List<String> names, ColumnStats all) {
    Refusals.wrongLengths(check, all.faults);
    if (all.faults.invalidRows > 0 && !spec.skipInvalid()) {
      throw Refusals.invalidValues(check, names, all.faults,
          all.invalidSide[0] == 0 && all.invalidSide[1] > 0);
    }
    Refusals.noRows(spec, all);
  }

  /** See {@link Loaded#featureNames}. */
  private static List<String> featureNames(StructType schema, Spec spec) {
    int d = spec.features();
    List<String> names = FeatureColumn.attributeNames(schema, spec.featuresCol());
    if (names == null || names.size() != d) {
      names = new ArrayList<>();
      for (int j = 0; j < d; j++) {
        names.add(spec.featuresCol() + "[" + j + "]");
      }
    }
    return names;
  }

  /** See {@link Loaded#outputNames}. */
  private static List<String> outputNames(StructType schema, Spec spec) {
    int k = spec.outputs();
    if (k == 1) {
      return List.of(spec.labelCol());
    }
    List<String> names = FeatureColumn.attributeNames(schema, spec.labelCol());
    if (names != null && names.size() == k && new HashSet<>(names).size() == k) {
      return List.copyOf(names);
    }
    names = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      names.add(Refusals.labelName(spec.labelCol(), k, c));
    }
    return names;
  }

  /** Job 2 or 3: the valid rows of one side (1: validation) as cached blocks, standardized. */
  private static JavaRDD<Block> blocks(JavaRDD<Row> input, List<ColumnStats> parts,
      RowCheck check, int side, Spec spec, Scaling scaling) {
    int d = check.d;
    int k = check.k;
    int size = spec.blockSize();
    Precision precision = spec.precision();
    boolean weighted = check.weighted();
    int partitions = Dealing.partitions(spec.partitions(), input.getNumPartitions(),
        input.context().defaultParallelism());
    JavaRDD<Block> blocks;
    if (partitions == 0) {
      blocks = input.mapPartitions(it -> new BlockIterator(check.validRows(it, side), d, k, size,
          scaling, precision, weighted), true);
    } else {
      long[] counts = ColumnStats.validPerPartition(parts, input.getNumPartitions(), side);
      blocks = Dealing.deal(input, counts, partitions, (i, it) -> check.validRows(it, side))
          .mapPartitions(it -> new BlockIterator(it, d, k, size, scaling, precision, weighted),
              true);
    }
    return blocks.setName((side == 1 ? "validation" : "training") + " blocks of "
        + spec.featuresCol()).persist(spec.storage());
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
}
