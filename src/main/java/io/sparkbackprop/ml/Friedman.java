package io.sparkbackprop.ml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Friedman #1 regression data (Friedman, "Multivariate Adaptive Regression Splines", Annals of
 * Statistics, 1991):
 * <pre>
 *   x ~ U(0,1)^10,   y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 + e,   e ~ N(0, sd^2)
 * </pre>
 * x6..x10 do not enter y. Row i of seed s is a function of (s, i) alone: its own generator is
 * seeded from a hash of both, so the rows can be made in any order, on any number of Spark
 * partitions, and come out the same. StrictMath keeps them bit-identical across JVMs and machines.
 *
 * <p>The row functions ({@link #row}, {@link #target}, {@link #targets}) need no Spark;
 * {@link #dataFrame} makes the rows as a DataFrame, each partition its own range of indices (what
 * {@code spark-backprop generate} writes, and what the benchmarks train on), as scikit-learn's
 * {@code make_friedman1} does in one process.
 */
public final class Friedman {
  /** Number of features, x1..x10. */
  public static final int FEATURES = 10;
  /** Default standard deviation of the noise e. */
  public static final double DEFAULT_NOISE = 1.0;
  /** The label column's name. */
  public static final String LABEL = "label";
  /** The label columns of the three-target data ({@link #targets}): y1, y2, y3. */
  public static final List<String> TARGETS = List.of("y1", "y2", "y3");

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Friedman() {}

  /** Column names: x1..x10, then {@link #LABEL}. */
  public static List<String> columns() {
    return columns(1);
  }

  /**
   * Column names of the data of {@code targets} targets: x1..x10, then {@link #LABEL} (1) or
   * {@link #TARGETS} (3).
   */
  public static List<String> columns(int targets) {
    checkTargets(targets);
    List<String> c = new ArrayList<>();
    for (int j = 1; j <= FEATURES; j++) {
      c.add("x" + j);
    }
    c.addAll(targets == 1 ? List.of(LABEL) : TARGETS);
    return Collections.unmodifiableList(c);
  }

  /**
   * Rows 0..rows-1 of {@code seed} as a DataFrame of doubles in {@code partitions} partitions,
   * columns {@link #columns(int)}: x1..x10, then with one target the label {@link #row}, with three
   * y1 (the same label: Friedman #1 plus the noise), y2 and y3 (Friedman #2 and #3, noiseless,
   * {@link #targets}). Row i depends only on (seed, i), not on the partitions.
   *
   * @param noise standard deviation of the noise, finite and >= 0
   * @param targets 1 or 3
   * @throws IllegalArgumentException rows or partitions below 1, targets not 1 or 3, bad noise
   */
  public static Dataset<Row> dataFrame(SparkSession spark, long rows, long seed, double noise,
      int partitions, int targets) {
    if (rows < 1 || partitions < 1) {
      throw new IllegalArgumentException("Friedman data need at least 1 row and 1 partition, got "
          + rows + " rows, " + partitions + " partitions");
    }
    checkNoise(noise);
    List<StructField> fields = new ArrayList<>();
    for (String c : columns(targets)) {
      fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
    }
    JavaRDD<Row> r = spark.range(0, rows, 1, partitions).javaRDD()
        .map(i -> RowFactory.create(values(seed, i, noise, targets)));
    return spark.createDataFrame(r, DataTypes.createStructType(fields));
  }

  /** Row {@code index} as the values of {@link #columns(int)}. */
  private static Object[] values(long seed, long index, double noise, int targets) {
    double[] x = new double[FEATURES];
    double y = row(seed, index, noise, x);
    Object[] v = new Object[FEATURES + targets];
    for (int j = 0; j < FEATURES; j++) {
      v[j] = x[j];
    }
    v[FEATURES] = y;
    if (targets == 3) {
      double[] f = new double[3];
      targets(x, f);
      v[FEATURES + 1] = f[1];
      v[FEATURES + 2] = f[2];
    }
    return v;
  }

  private static void checkTargets(int targets) {
    if (targets != 1 && targets != 3) {
      throw new IllegalArgumentException("Friedman data have 1 or 3 targets, got " + targets);
    }
  }

  private static void checkNoise(double noise) {
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException("noise sd must be finite and >= 0, got " + noise);
    }
  }

  /** The noiseless target f(x) = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5. */
  public static double target(double[] x) {
    double c = x[2] - 0.5;
    return 10 * StrictMath.sin(Math.PI * x[0] * x[1]) + 20 * c * c + 10 * x[3] + 5 * x[4];
  }

  /**
   * Friedman's #1, #2 and #3 targets of the same ten features x ~ U(0,1)^10, noiseless: #2 and #3
   * take their four inputs in Friedman's ranges, mapped from x1..x4 as
   * {@code a = 100 x1, b = 40 pi + 520 pi x2, c = x3, e = 1 + 10 x4}:
   * <pre>
   *   f1 = {@link #target}(x)
   *   f2 = sqrt(a^2 + (b c - 1 / (b e))^2)
   *   f3 = atan((b c - 1 / (b e)) / a)
   * </pre>
   *
   * @param x x1..x10 at x[0..9] (not modified)
   * @param out Modified: {f1, f2, f3}
   */
  public static void targets(double[] x, double[] out) {
    double a = 100 * x[0];
    double b = 40 * Math.PI + 520 * Math.PI * x[1];
    double c = x[2];
    double e = 1 + 10 * x[3];
    double t = b * c - 1 / (b * e);
    out[0] = target(x);
    out[1] = StrictMath.sqrt(a * a + t * t);
    out[2] = StrictMath.atan(t / a);
  }

  /**
   * Row {@code index} of the data set of {@code seed}.
   *
   * @param x output, length at least 10: x1..x10 at x[0..9]. Modified.
   * @param noise standard deviation of the noise, >= 0
   * @return the label y = f(x) + noise * z, z standard normal
   */
  public static double row(long seed, long index, double noise, double[] x) {
    checkNoise(noise);
    SplittableRandom r = new SplittableRandom(rowSeed(seed, index));
    for (int j = 0; j < FEATURES; j++) {
      x[j] = r.nextDouble();
    }
    // Box-Muller, cosine branch: u1 in (0, 1] so the log is finite.
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    double z = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    return target(x) + noise * z;
  }

  /** The seed of row {@code index}'s own generator: SplitMix64's finaliser of seed and index. */
  static long rowSeed(long seed, long index) {
    return mix64(mix64(seed) + (index + 1) * GOLDEN);
  }

  /** SplitMix64's output function (Steele, Lea, Flood 2014): a bijective 64-bit mixer. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
