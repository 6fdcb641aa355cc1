package io.sparkbackprop.cli;

import io.sparkbackprop.data.Friedman;
import io.sparkbackprop.spark.ParquetOut;
import io.sparkbackprop.spark.Sessions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code generate}: Friedman #1 data written as Parquet by Spark, each partition making its own
 * range of row indices. Row i depends only on (seed, i), so the data do not depend on the number
 * of partitions.
 */
final class GenerateCommand {
  private static final Set<String> VALUED = Set.of("rows", "seed", "noise", "partitions", "output");
  private static final Set<String> SWITCHES = Set.of("help", "overwrite");

  private GenerateCommand() {}

  static int run(String[] argv, PrintStream out) {
    Args a = Args.parse("generate", argv, VALUED, SWITCHES);
    if (a.flag("help")) {
      out.print("""
          usage: generate --output PATH [options]
            Friedman #1: x ~ U(0,1)^10, y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5
            + N(0, sd^2); columns x1..x10 and label, all double.
            --output PATH      Parquet directory to write (any path Spark writes)
            --rows N           rows (default 10000)
            --seed S           seed (default 1); row i depends only on (S, i)
            --noise SD         noise standard deviation (default 1)
            --partitions P     Spark partitions, one part file each (default: Spark's
                               default parallelism)
            --overwrite        replace an existing output
          """);
      return 0;
    }
    String output = a.require("output");
    long rows = a.getLong("rows", 10_000L);
    if (rows < 1) {
      throw new UsageException("generate: --rows must be at least 1, got " + rows);
    }
    long seed = a.getLong("seed", 1L);
    double noise = a.getDouble("noise", Friedman.DEFAULT_NOISE, 0, Double.MAX_VALUE);
    int partitions = a.getInt("partitions", 0, 1);
    boolean overwrite = a.flag("overwrite");

    SparkSession spark = Sessions.get("generate", null);
    ParquetOut.checkTarget(spark, output, overwrite);
    int p = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
    Dataset<Row> data = friedman(spark, rows, seed, noise, p);
    ParquetOut.write(data, output, overwrite);
    out.printf("generate: wrote %d Friedman #1 rows (seed %d, noise sd %s) in %d partition(s) to %s%n",
        rows, seed, noise, p, output);
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
}
