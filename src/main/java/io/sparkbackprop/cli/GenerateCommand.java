package io.sparkbackprop.cli;

import io.sparkbackprop.data.Friedman;
import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.cli.Sessions;
import java.util.concurrent.Callable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: Friedman #1 data written as Parquet by Spark, each partition making its own
 * range of row indices. Row i depends only on (seed, i), so the data do not depend on the number
 * of partitions.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = CommonOptions.Version.class,
    name = "generate", sortOptions = false, showDefaultValues = true,
    description = {"Writes Friedman #1 regression data as Parquet:",
        "x ~ U(0,1)^10, y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 + N(0, sd^2);"
            + " columns x1..x10 and label, all double."})
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--output", required = true, paramLabel = "PATH",
      description = "Parquet directory to write (any path Spark writes)")
  String output;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "10000", description = "rows")
  long rows;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "seed; row i depends only on (S, i)")
  long seed;

  @Option(names = "--noise", paramLabel = "SD", defaultValue = "" + Friedman.DEFAULT_NOISE,
      description = "noise standard deviation")
  double noise;

  @Option(names = "--targets", paramLabel = "K", defaultValue = "1",
      description = "1: Friedman #1 as 'label'; 3: Friedman #1 (with the noise), #2 and #3"
          + " (noiseless) of the same features as y1, y2, y3, for multi-output training")
  int targets;

  @Option(names = "--partitions", paramLabel = "P",
      description = "Spark partitions, one part file each (default: Spark's default parallelism)")
  Integer partitions;

  @Option(names = "--overwrite", description = "replace an existing output")
  boolean overwrite;

  @Override public Integer call() {
    if (rows < 1) {
      throw new UsageException("generate: --rows must be at least 1, got " + rows);
    }
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new UsageException("generate: --noise must be a finite number >= 0, got " + noise);
    }
    if (targets != 1 && targets != 3) {
      throw new UsageException("generate: --targets must be 1 or 3, got " + targets);
    }
    if (partitions != null && partitions < 1) {
      throw new UsageException("generate: --partitions must be at least 1, got " + partitions);
    }
    SparkSession spark = Sessions.get("generate", null);
    Outputs.check(spark, "--output", output, overwrite, OutputTarget.Kind.PARQUET,
        java.util.Map.of());
    int p = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
    Dataset<Row> data = targets == 1 ? friedman(spark, rows, seed, noise, p)
        : friedman3(spark, rows, seed, noise, p);
    ParquetOut.write(data, output, overwrite);
    spec.commandLine().getOut().printf("generate: wrote %d Friedman %s rows (seed %d, noise sd %s)"
        + " in %d partition(s) to %s%n", rows, targets == 1 ? "#1" : "#1, #2, #3", seed, noise, p,
        output);
    return 0;
  }

  /** Friedman #1 rows 0..rows-1 of {@code seed}, as a Dataset in {@code partitions} partitions. */
  static Dataset<Row> friedman(SparkSession spark, long rows, long seed, double noise,
      int partitions) {
    List<StructField> fields = new ArrayList<>();
    for (String c : Friedman.columns()) {
      fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
    }
    StructType schema = DataTypes.createStructType(fields);
    JavaRDD<Row> r = spark.range(0, rows, 1, partitions).javaRDD().map(i -> {
      double[] x = new double[Friedman.FEATURES];
      double y = Friedman.row(seed, i, noise, x);
      Object[] v = new Object[Friedman.FEATURES + 1];
      for (int j = 0; j < Friedman.FEATURES; j++) {
        v[j] = x[j];
      }
      v[Friedman.FEATURES] = y;
      return RowFactory.create(v);
    });
    return spark.createDataFrame(r, schema);
  }

  /**
   * Rows 0..rows-1 of {@code seed} with three targets ({@link Friedman#targets}): x1..x10, then
   * y1 (Friedman #1 plus the same noise as {@link #friedman}'s label), y2, y3.
   */
  static Dataset<Row> friedman3(SparkSession spark, long rows, long seed, double noise,
      int partitions) {
    List<StructField> fields = new ArrayList<>();
    List<String> names = new ArrayList<>(Friedman.columns().subList(0, Friedman.FEATURES));
    names.addAll(Friedman.TARGETS);
    for (String c : names) {
      fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
    }
    StructType schema = DataTypes.createStructType(fields);
    JavaRDD<Row> r = spark.range(0, rows, 1, partitions).javaRDD().map(i -> {
      double[] x = new double[Friedman.FEATURES];
      double y1 = Friedman.row(seed, i, noise, x);
      double[] f = new double[3];
      Friedman.targets(x, f);
      Object[] v = new Object[Friedman.FEATURES + 3];
      for (int j = 0; j < Friedman.FEATURES; j++) {
        v[j] = x[j];
      }
      v[Friedman.FEATURES] = y1;
      v[Friedman.FEATURES + 1] = f[1];
      v[Friedman.FEATURES + 2] = f[2];
      return RowFactory.create(v);
    });
    return spark.createDataFrame(r, schema);
  }
}
