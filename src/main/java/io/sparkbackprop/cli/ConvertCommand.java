package io.sparkbackprop.cli;

import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.spark.ColumnNames;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convert}: a CSV file with a header line to Parquet; numeric columns are written as
 * double, other columns as Spark infers them. (How data/diabetes.parquet was made.)
 */
@Command(mixinStandardHelpOptions = true, versionProvider = CommonOptions.Version.class,
    name = "convert", sortOptions = false, showDefaultValues = true,
    description = "Converts a CSV file with a header line to Parquet (numeric columns as double).")
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "CSV",
      description = "CSV file with a header line")
  String input;

  @Option(names = "--output", required = true, paramLabel = "PATH",
      description = "Parquet directory to write")
  String output;

  @Option(names = "--partitions", paramLabel = "P", defaultValue = "1", description = "part files")
  int partitions;

  @Option(names = "--overwrite", description = "replace an existing output")
  boolean overwrite;

  @Override public Integer call() {
    if (partitions < 1) {
      throw new UsageException("convert: --partitions must be at least 1, got " + partitions);
    }
    SparkSession spark = Sessions.get("convert", null);
    Outputs.check(spark, "--output", output, overwrite, OutputTarget.Kind.PARQUET,
        java.util.Map.of("--input", input));
    Dataset<Row> csv;
    try {
      csv = spark.read().option("header", "true").option("inferSchema", "true").csv(input);
    } catch (Exception e) {
      throw new UsageException(input + ": cannot read as CSV: "
          + Failures.firstLine(e.getMessage()));
    }
    StructField[] fields = csv.schema().fields();
    Column[] cols = new Column[fields.length];
    for (int j = 0; j < fields.length; j++) {
      Column c = ColumnNames.col(fields[j].name());
      cols[j] = fields[j].dataType() instanceof NumericType
          ? c.cast("double").as(fields[j].name()) : c;
    }
    Dataset<Row> data = csv.select(cols).coalesce(partitions);
    long rows = data.count();
    ParquetOut.write(data, output, overwrite);
    spec.commandLine().getOut().printf("convert: wrote %d rows, %d columns, from %s to %s%n", rows,
        fields.length, input, output);
    return 0;
  }
}
