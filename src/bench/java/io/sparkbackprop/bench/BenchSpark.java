package io.sparkbackprop.bench;

import io.sparkbackprop.io.AtomicDir;
import io.sparkbackprop.io.HadoopFiles;
import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.ml.Friedman;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** The Spark side the Spark benchmarks share: their session and their Friedman #1 files. */
final class BenchSpark {
  private BenchSpark() {}

  /**
   * A session for {@code app} on {@code master}; when null, on the {@code spark.master} system
   * property, else {@code local[*]}. Local mode binds loopback only and has no UI.
   */
  static SparkSession session(String app, String master) {
    String m = master != null ? master : System.getProperty("spark.master", "local[*]");
    SparkSession.Builder b = SparkSession.builder().appName("spark-backprop " + app).master(m);
    if (m.startsWith("local")) {
      b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
          .config("spark.ui.enabled", System.getProperty("spark.ui.enabled", "false"))
          .config("spark.sql.shuffle.partitions", "4");
    }
    return b.getOrCreate();
  }

  /**
   * The path of {@code dir}/friedman-ROWS.parquet: Friedman #1 rows 0..rows-1 of seed 1, noise
   * sd 1 ({@link Friedman#dataFrame}), written there first when it holds no complete Spark output
   * (in max(1, min(4, rows / 10000)) partitions, through {@link AtomicDir}: what is not Spark's
   * Parquet output is never replaced).
   */
  static String friedman(SparkSession spark, String dir, long rows, PrintStream out) {
    File f = new File(dir, "friedman-" + rows + ".parquet");
    if (!new File(f, "_SUCCESS").exists()) {
      int partitions = (int) Math.max(1, Math.min(4, rows / 10_000));
      Path p = new Path(f.getAbsolutePath());
      try {
        AtomicDir.write(HadoopFiles.fileSystem(p, spark.sparkContext().hadoopConfiguration()), p,
            true, OutputTarget.Kind.PARQUET, (fs, tmp) -> Friedman.dataFrame(spark, rows, 1,
                Friedman.DEFAULT_NOISE, partitions, 1).write().mode(SaveMode.Overwrite)
                .parquet(tmp.toString()));
      } catch (IOException e) {
        throw new IllegalStateException("generating " + f + " failed: " + e.getMessage(), e);
      }
      out.printf("data: wrote %d Friedman #1 rows (seed 1) in %d partition(s) to %s%n", rows,
          partitions, f);
    }
    return f.getAbsolutePath();
  }
}
