package io.sparkbackprop.bench;

import io.sparkbackprop.cli.Main;
import io.sparkbackprop.cli.Sessions;
import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Blas;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code jobs/bench transform}: rows per second of the model's {@code transform} (each partition
 * scored in blocks with the training kernel, one broadcast) against Spark's default path for a
 * {@code PredictionModel}, {@code transformImpl}: a UDF calling {@code predict(Vector)} one row at a
 * time. Same cached DataFrame of Friedman #1 vectors, same model, alternating, median of
 * {@code --reps} runs after one warm-up each; the two prediction sums are compared.
 */
public final class TransformBench {
  private TransformBench() {}

  public static void main(String[] argv) {
    long rows = 1_000_000;
    String configs = "10-2-2-1,10-64-64-1,10-256-256-1";
    int reps = 3;
    for (int i = 0; i + 1 < argv.length; i += 2) {
      switch (argv[i]) {
        case "--rows" -> rows = Long.parseLong(argv[i + 1]);
        case "--configs" -> configs = argv[i + 1];
        case "--reps" -> reps = Integer.parseInt(argv[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + argv[i]
            + " (--rows N, --configs L,..., --reps R)");
      }
    }
    SparkSession spark = Sessions.get("bench transform", null);
    File data = new File("target/bench-data", "friedman-" + rows + ".parquet");
    if (!new File(data, "_SUCCESS").exists()) {
      int p = (int) Math.max(1, Math.min(4, rows / 10_000));
      if (Main.run(new String[] {"generate", "--rows", "" + rows, "--seed", "1", "--partitions",
          "" + p, "--output", data.getPath(), "--overwrite"}, System.out, System.err) != 0) {
        throw new IllegalStateException("generating " + data + " failed");
      }
    }
    String[] cols = new String[10];
    for (int j = 0; j < 10; j++) {
      cols[j] = "x" + (j + 1);
    }
    Dataset<Row> df = new VectorAssembler().setInputCols(cols).setOutputCol("features")
        .transform(spark.read().parquet(data.getPath())).select("features")
        .persist(StorageLevel.MEMORY_AND_DISK());
    long n = df.count();
    System.out.printf("bench transform: Spark %s, master %s, BLAS %s, %d rows in %d partitions%n",
        spark.version(), spark.sparkContext().master(), Blas.name(), n,
        df.javaRDD().getNumPartitions());
    for (String config : configs.split(",")) {
      int[] widths = Arrays.stream(config.trim().split("-")).mapToInt(Integer::parseInt).toArray();
      Network net = Network.of(widths, Activation.RELU, Activation.IDENTITY);
      MultilayerPerceptronRegressionModel m = new MultilayerPerceptronRegressionModel("bench",
          net, net.initialWeights(42), Scaling.identity(widths[0]),
          Arrays.asList(cols), null);
      List<Double> blocks = new ArrayList<>();
      List<Double> udf = new ArrayList<>();
      double sumBlocks = 0;
      double sumUdf = 0;
      for (int r = 0; r <= reps; r++) {
        long t0 = System.nanoTime();
        sumBlocks = m.transform(df).agg(functions.sum("prediction")).first().getDouble(0);
        long t1 = System.nanoTime();
        sumUdf = m.transformImpl(df).agg(functions.sum("prediction")).first().getDouble(0);
        long t2 = System.nanoTime();
        if (r > 0) {
          blocks.add((t1 - t0) / 1e9);
          udf.add((t2 - t1) / 1e9);
        }
      }
      double b = median(blocks);
      double u = median(udf);
      System.out.printf(Locale.ROOT, "TRANSFORM layers=%s rows=%d blocks_s=%.3f udf_s=%.3f"
          + " blocks_rows_per_s=%.0f udf_rows_per_s=%.0f speedup=%.2f sums_rel_diff=%.1e%n", config,
          n, b, u, n / b, n / u, u / b, Math.abs(sumBlocks - sumUdf) / Math.abs(sumUdf));
    }
    df.unpersist();
    spark.stop();
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int k = s.size();
    return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
  }
}
