package io.sparkbackprop.bench;

import io.sparkbackprop.ml.Friedman;
import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.blas.Blas;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobs/bench transform}: rows per second of the model's {@code transform} (each partition
 * scored in blocks with the training kernel, one broadcast) against Spark's default path for a
 * {@code PredictionModel}, {@code transformImpl}: a UDF calling {@code predict(Vector)} one row at a
 * time. Same cached DataFrame of Friedman #1 vectors, same model, alternating, median of
 * {@code --reps} runs after one warm-up each; the two prediction sums are compared.
 */
@Command(name = "jobs/bench transform", sortOptions = false,
    showDefaultValues = true,
    description = {"Rows per second of the model's blocked transform against a per-row UDF,",
        "on the same cached Friedman #1 vectors. Prints one line per configuration,",
        "'TRANSFORM layers=... blocks_rows_per_s=... udf_rows_per_s=... speedup=...'."})
public final class TransformBench implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000",
      description = "rows of Friedman #1 data, generated once into target/bench-data if absent")
  long rows;

  @Option(names = "--configs", split = ",", paramLabel = "L",
      defaultValue = "10-2-2-1,10-64-64-1,10-256-256-1",
      description = "layers (ReLU hidden layers), ',' between")
  String[] configs;

  @Option(names = "--reps", paramLabel = "R", defaultValue = "3",
      description = "timed runs of each after one warm-up; the median is reported")
  int reps;

  public static void main(String[] argv) {
    System.exit(new CommandLine(new TransformBench()).execute(argv));
  }

  @Override public Integer call() {
    SparkSession spark = BenchSpark.session("bench transform", null);
    String data = BenchSpark.friedman(spark, "target/bench-data", rows, System.out);
    String[] cols = Friedman.columns().subList(0, Friedman.FEATURES).toArray(new String[0]);
    Dataset<Row> df = new VectorAssembler().setInputCols(cols).setOutputCol("features")
        .transform(spark.read().parquet(data)).select("features")
        .persist(StorageLevel.MEMORY_AND_DISK());
    long n = df.count();
    System.out.printf("bench transform: Spark %s, master %s, BLAS %s, %d rows in %d partitions%n",
        spark.version(), spark.sparkContext().master(), Blas.name(), n,
        df.javaRDD().getNumPartitions());
    for (String config : configs) {
      System.out.println(compare(df, n, config.trim(), cols));
    }
    df.unpersist();
    spark.stop();
    return 0;
  }

  /** The TRANSFORM line of one configuration: blocked transform against the per-row UDF. */
  private String compare(Dataset<Row> df, long n, String config, String[] cols) {
    int[] widths = Arrays.stream(config.split("-")).mapToInt(Integer::parseInt).toArray();
    Network net = Network.of(widths, Activation.RELU, Activation.IDENTITY);
    MultilayerPerceptronRegressionModel m = new MultilayerPerceptronRegressionModel("bench",
        net, net.initialWeights(42), Scaling.identity(widths[0]), Arrays.asList(cols), null);
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
    double b = Timing.median(blocks);
    double u = Timing.median(udf);
    return String.format(Locale.ROOT, "TRANSFORM layers=%s rows=%d blocks_s=%.3f udf_s=%.3f"
        + " blocks_rows_per_s=%.0f udf_rows_per_s=%.0f speedup=%.2f sums_rel_diff=%.1e", config,
        n, b, u, n / b, n / u, u / b, Math.abs(sumBlocks - sumUdf) / Math.abs(sumUdf));
  }
}
