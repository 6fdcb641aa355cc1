package io.sparkbackprop.spark;

import io.sparkbackprop.cli.UsageException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Training data: a Parquet file or directory read once into cached {@link Block}s of primitive
 * arrays, so that every later pass of gradient descent reads the cache and never Parquet or Rows.
 *
 * <p>Loading reads the Parquet input twice, both before the first training pass: one job counts
 * rows and invalid values (null, NaN, +-Infinity) of every used column per input partition, in a
 * single pass; a second builds the blocks, persisted {@code MEMORY_AND_DISK}, and counts their
 * rows to materialise the cache. The per-partition counts of the first pass number the rows for
 * the deterministic repartitioning below.
 *
 * <p>Partitioning. With {@code partitions == 0} each input partition (Spark's split of the Parquet
 * files) becomes one partition of blocks, rows in file order. With {@code partitions == P > 0} the
 * valid rows are numbered 0..N-1 in input order (partition by partition, using the per-partition
 * counts of the first pass) and row g goes to partition {@code g mod P}, in increasing g: partition
 * sizes differ by at most one, every partition samples the whole file (a file sorted by label does
 * not give one partition all the small labels), and the same input with the same P gives the same
 * rows in the same partitions in the same order on every run. (Spark's own {@code repartition}
 * does not promise the order within a partition: it follows shuffle fetch order.)
 */
public final class TrainingData {
  /**
   * Cached training data.
   *
   * @param blocks the cached blocks, {@code MEMORY_AND_DISK}, already materialised
   * @param features feature column names, in the order of the block's columns
   * @param label label column name
   * @param rows rows in the blocks
   * @param dropped rows skipped for a null, NaN or infinite value (0 unless dropInvalid)
   */
  public record Loaded(JavaRDD<Block> blocks, List<String> features, String label, long rows,
      long dropped) {}

  private TrainingData() {}

  /** Rows per block for most networks. */
  public static final int BLOCK_SIZE = 256;
  /** Rows per block for narrow networks (see {@link #defaultBlockSize}). */
  public static final int NARROW_BLOCK_SIZE = 1024;
  /** The widest layer (after the input) that still counts as narrow. */
  public static final int NARROW_WIDTH = 8;

  /**
   * Rows per cached block when the user names none: {@link #NARROW_BLOCK_SIZE} when every layer
   * after the input is at most {@link #NARROW_WIDTH} wide, else {@link #BLOCK_SIZE}. Measured on
   * 2026-11-29 (docs/benchmarks.md): BLAS products with a side of 1 to 8 gain from long blocks
   * (10-2-2-1 at 1M rows: task CPU 63 -> 39 ms per 500k rows from 256 to 1024; 10-8-8-1 kernel
   * 1.08x), wider layers lose a few per cent beyond 256 (10-16-16-1 0.96x, 10-32-32-1 0.93x).
   *
   * @param widths layer widths; widths[0] (the input) is not looked at
   */
  public static int defaultBlockSize(int[] widths) {
    for (int l = 1; l < widths.length; l++) {
      if (widths[l] > NARROW_WIDTH) {
        return BLOCK_SIZE;
      }
    }
    return NARROW_BLOCK_SIZE;
  }

  /**
   * Reads {@code path} (any path or glob Spark reads: local, hdfs://, s3a://...) into cached blocks.
   *
   * @param label the label column
   * @param features feature columns in the order wanted; null or empty = every numeric column
   *     except the label, in schema order
   * @param partitions 0 keeps the input's partitioning; P > 0 gives exactly P partitions,
   *     deterministically (see the class comment)
   * @param blockSize rows per block; each partition's last block may be smaller
   * @param dropInvalid skip rows with a null, NaN or infinite value in a used column, instead of
   *     refusing the file
   * @throws UsageException bad input, in one line naming the path and the column or value
   */
  public static Loaded load(SparkSession spark, String path, String label, List<String> features,
      int partitions, int blockSize, boolean dropInvalid) {
    return load(spark, path, label, features, partitions, blockSize, dropInvalid, null);
  }

  /**
   * A deterministic split of the rows into training and validation by their CONTENT: row v =
   * {features..., label} goes to validation when u(seed, v) < fraction, where u is a uniform in
   * [0, 1) from a SplitMix64 hash of the seed and the bits of every value (-0.0 read as 0.0). So
   * the split depends only on (seed, fraction, the row's values): not on partitioning, file order,
   * cluster size or Spark version; the two sides are disjoint and together hold every row;
   * identical rows land on the same side (a duplicate cannot leak from training into validation).
   *
   * @param seed the split's seed
   * @param fraction the expected share of validation rows, in (0, 1)
   * @param validation which side to keep: true the validation rows, false the training rows
   */
  public record Split(long seed, double fraction, boolean validation) implements Serializable {
    public Split {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
      }
    }

    /** The other side of the same split. */
    public Split other() {
      return new Split(seed, fraction, !validation);
    }

    /** Whether row v (features then label, not modified) is on this side. */
    public boolean keeps(double[] v) {
      return (uniform(seed, v) < fraction) == validation;
    }

    /** u in [0, 1): 53 bits of SplitMix64 over (seed, bits of v[0], bits of v[1], ...). */
    static double uniform(long seed, double[] v) {
      long h = mix(seed + 0x9E3779B97F4A7C15L);
      for (double x : v) {
        h = mix(h + 0x9E3779B97F4A7C15L + Double.doubleToLongBits(x == 0.0 ? 0.0 : x));
      }
      return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  /**
   * As {@link #load(SparkSession, String, String, List, int, int, boolean)}, keeping only the rows
   * on one side of {@code split} (null: every row). Invalid rows are counted (and refused) over
   * the whole file and belong to neither side: {@code rows} is this side's valid rows,
   * {@code dropped} the whole file's invalid rows.
   */
  public static Loaded load(SparkSession spark, String path, String label, List<String> features,
      int partitions, int blockSize, boolean dropInvalid, Split split) {
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize must be >= 1, got " + blockSize);
    }
    requireExists(spark, path);
    Dataset<Row> df;
    try {
      df = spark.read().parquet(path);
    } catch (Exception e) {
      throw notParquet(path, e);
    }
    List<String> used = columns(path, df, label, features);
    int d = used.size() - 1;
    if ((long) blockSize * (d + 1) > Integer.MAX_VALUE - 16) {
      throw new UsageException("block size " + blockSize + " times " + (d + 1)
          + " columns is too large for one array; use a smaller block size");
    }
    Column[] cast = new Column[used.size()];
    for (int j = 0; j < cast.length; j++) {
      cast[j] = functions.col(quote(used.get(j))).cast("double");
    }
    JavaRDD<Row> input = df.select(cast).javaRDD();

    // Pass 1: per input partition {index, rows, valid rows, invalid rows of column 0..d}.
    List<long[]> stats;
    try {
      stats = input.mapPartitionsWithIndex((i, it) -> countInvalid(i, it, d + 1, split), false)
          .collect();
    } catch (Exception e) {
      throw notParquet(path, e);
    }
    long[] perPartition = new long[input.getNumPartitions()];
    long total = 0;
    long valid = 0;
    long[] invalid = new long[d + 1];
    for (long[] s : stats) {
      perPartition[(int) s[0]] = s[2];
      total += s[1];
      valid += s[2];
      for (int j = 0; j <= d; j++) {
        invalid[j] += s[3 + j];
      }
    }
    long bad = total - valid - (split == null ? 0 : otherSide(stats, d));
    if (bad > 0 && !dropInvalid) {
      List<String> cols = new ArrayList<>();
      for (int j = 0; j <= d; j++) {
        if (invalid[j] > 0) {
          cols.add(used.get(j) + ": " + invalid[j]);
        }
      }
      throw new UsageException(path + ": " + bad + " of " + total
          + " rows have a null, NaN or infinite value (" + String.join(", ", cols)
          + "); use --drop-invalid to skip those rows");
    }
    if (valid == 0) {
      throw new UsageException(path + ": no rows" + (split != null ? " on the "
          + (split.validation() ? "validation" : "training") + " side of the split" : "")
          + (bad > 0 ? " left after dropping " + bad
          + " with a null, NaN or infinite value" : ""));
    }

    // Pass 2: blocks, cached and materialised.
    JavaRDD<Block> blocks;
    if (partitions == 0) {
      blocks = input.mapPartitions(it -> new BlockIterator(validRows(it, d, split), d, blockSize), true);
    } else {
      long[] offset = new long[perPartition.length];
      for (int i = 1; i < offset.length; i++) {
        offset[i] = offset[i - 1] + perPartition[i - 1];
      }
      JavaPairRDD<Long, double[]> numbered = input.mapPartitionsWithIndex(
          (i, it) -> number(validRows(it, d, split), offset[i]), true).mapToPair(t -> t);
      blocks = numbered.repartitionAndSortWithinPartitions(new RoundRobin(partitions))
          .mapPartitions(it -> new BlockIterator(values(it), d, blockSize), true);
    }
    blocks.setName("blocks of " + path).persist(StorageLevel.MEMORY_AND_DISK());
    long rows;
    try {
      rows = blocks.map(b -> (long) b.n()).fold(0L, Long::sum);
    } catch (Exception e) {
      blocks.unpersist(false);
      throw notParquet(path, e);
    }
    if (rows != valid) {
      blocks.unpersist(false);
      throw new IllegalStateException(path + ": counted " + valid + " valid rows, but the blocks hold "
          + rows + " (did the input change while loading?)");
    }
    return new Loaded(blocks, List.copyOf(used.subList(0, d)), label, rows, bad);
  }

  /**
   * Bytes the cached RDD takes in memory plus on disk, from {@code SparkContext.getRDDStorageInfo};
   * 0 when it is not (or no longer) cached.
   */
  public static long cachedBytes(JavaRDD<?> rdd) {
    long bytes = 0;
    for (RDDInfo info : rdd.context().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        bytes += info.memSize() + info.diskSize();
      }
    }
    return bytes;
  }

  // ---- schema ----

  /** Resolves and checks the used columns: the features in order, then the label last. */
  private static List<String> columns(String path, Dataset<Row> df, String label,
      List<String> features) {
    List<String> names = Arrays.asList(df.columns());
    String listing = " (columns: " + String.join(", ", names) + ")";
    if (label == null || !names.contains(label)) {
      throw new UsageException(path + ": no label column '" + label + "'" + listing);
    }
    List<String> used = new ArrayList<>();
    if (features == null || features.isEmpty()) {
      for (StructField f : df.schema().fields()) {
        if (!f.name().equals(label) && f.dataType() instanceof NumericType) {
          used.add(f.name());
        }
      }
      if (used.isEmpty()) {
        throw new UsageException(path + ": no numeric column besides the label '" + label + "'"
            + listing);
      }
    } else {
      List<String> missing = new ArrayList<>();
      for (String f : features) {
        if (!names.contains(f)) {
          missing.add("'" + f + "'");
        }
      }
      if (!missing.isEmpty()) {
        throw new UsageException(path + ": no feature column " + String.join(", ", missing)
            + listing);
      }
      if (new HashSet<>(features).size() != features.size()) {
        throw new UsageException(path + ": a feature column is named twice: "
            + String.join(",", features));
      }
      if (features.contains(label)) {
        throw new UsageException(path + ": the label '" + label + "' is also named as a feature");
      }
      used.addAll(features);
    }
    used.add(label);
    for (String c : used) {
      DataType t = df.schema().apply(c).dataType();
      if (!(t instanceof NumericType)) {
        throw new UsageException(path + ": column '" + c + "' is " + t.simpleString()
            + ", not numeric");
      }
    }
    return used;
  }

  /** A column reference that survives dots and backticks in the name. */
  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  // ---- executor side ----

  /** {partition, rows, valid rows, invalid count of each used column}: one pass, one record. */
  /**
   * {partition, rows, valid rows on the split's side, invalid count of each used column, valid
   * rows on the other side}: one pass, one record.
   */
  private static Iterator<long[]> countInvalid(int partition, Iterator<Row> it, int width,
      Split split) {
    long[] s = new long[4 + width];
    long rows = 0;
    long valid = 0;
    long other = 0;
    double[] v = new double[width];
    while (it.hasNext()) {
      Row r = it.next();
      rows++;
      boolean ok = true;
      for (int j = 0; j < width; j++) {
        if (r.isNullAt(j) || !Double.isFinite(v[j] = r.getDouble(j))) {
          s[3 + j]++;
          ok = false;
        }
      }
      if (ok) {
        if (split == null || split.keeps(v)) {
          valid++;
        } else {
          other++;
        }
      }
    }
    s[0] = partition;
    s[1] = rows;
    s[2] = valid;
    s[3 + width] = other;
    return List.of(s).iterator();
  }

  private static long otherSide(List<long[]> stats, int d) {
    long other = 0;
    for (long[] s : stats) {
      other += s[4 + d];
    }
    return other;
  }

  /** Rows with every used value finite, as {features..., label}. */
  private static Iterator<double[]> validRows(Iterator<Row> it, int d, Split split) {
    return new Iterator<>() {
      private double[] next = advance();

      private double[] advance() {
        while (it.hasNext()) {
          Row r = it.next();
          double[] v = new double[d + 1];
          boolean ok = true;
          for (int j = 0; j <= d && ok; j++) {
            ok = !r.isNullAt(j) && Double.isFinite(v[j] = r.getDouble(j));
          }
          if (ok && (split == null || split.keeps(v))) {
            return v;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public double[] next() {
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

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Tuple2<Long, double[]> next() {
        return new Tuple2<>(g++, it.next());
      }
    };
  }

  private static Iterator<double[]> values(Iterator<Tuple2<Long, double[]>> it) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public double[] next() {
        return it.next()._2();
      }
    };
  }

  /** Row g of the input goes to partition g mod P. */
  static final class RoundRobin extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    RoundRobin(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.floorMod((Long) key, (long) partitions);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RoundRobin r && r.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }

  /**
   * Groups rows {features..., label} into blocks of up to {@code size} rows, lazily: one block in
   * memory at a time. Rows are gathered row-major in a buffer that grows as needed (a small
   * partition never allocates a whole {@code size}), then transposed: feature j of row i of a
   * block of n rows goes to {@code x[j * n + i]}.
   */
  static final class BlockIterator implements Iterator<Block> {
    private final Iterator<double[]> rows;
    private final int d;
    private final int size;

    BlockIterator(Iterator<double[]> rows, int d, int size) {
      this.rows = rows;
      this.d = d;
      this.size = size;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Block next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      int w = d + 1;
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
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        int r = i * w;
        for (int j = 0; j < d; j++) {
          x[j * n + i] = buf[r + j];
        }
        y[i] = buf[r + d];
      }
      return new Block(n, x, y);
    }
  }

  // ---- errors ----

  static void requireExists(SparkSession spark, String path) {
    FileStatus[] found;
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      found = fs.globStatus(p);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(path + ": cannot open: " + firstLine(e.getMessage()));
    }
    if (found == null || found.length == 0) {
      throw new UsageException(path + ": no such file or directory");
    }
  }

  /** A read failure as one line; a UsageException raised inside a task passes through. */
  static UsageException notParquet(String path, Throwable e) {
    Throwable t = e;
    for (int i = 0; t != null && i < 20; i++, t = t.getCause()) {
      if (t instanceof UsageException u) {
        return u;
      }
    }
    return new UsageException(path + ": not readable as Parquet (corrupt, or not Parquet): "
        + firstLine(rootMessage(e)));
  }

  private static String rootMessage(Throwable e) {
    // Spark wraps the reader's error; the innermost message names the problem, the outer the file.
    String msg = e.getMessage();
    Throwable t = e;
    for (int i = 0; t != null && i < 20; i++, t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        msg = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return msg;
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.strip();
    int nl = line.indexOf('\n');
    line = nl < 0 ? line : line.substring(0, nl).strip();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
