package io.sparkbackprop.cli;

import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.ml.Friedman;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: {@link Friedman#dataFrame} written as Parquet. Row i depends only on
 * (seed, i), so the data do not depend on the number of partitions.
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
    Dataset<Row> data = Friedman.dataFrame(spark, rows, seed, noise, p, targets);
    ParquetOut.write(data, output, overwrite);
    spec.commandLine().getOut().printf("generate: wrote %d Friedman %s rows (seed %d, noise sd %s)"
        + " in %d partition(s) to %s%n", rows, targets == 1 ? "#1" : "#1, #2, #3", seed, noise, p,
        output);
    return 0;
  }
}
