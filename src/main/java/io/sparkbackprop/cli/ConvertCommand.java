package io.sparkbackprop.cli;

import io.sparkbackprop.spark.ParquetOut;
import io.sparkbackprop.spark.Sessions;
import java.io.PrintStream;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * {@code convert}: a CSV file with a header line to Parquet; numeric columns are written as
 * double, other columns as Spark infers them. (How data/diabetes.parquet was made.)
 */
final class ConvertCommand {
  private static final Set<String> VALUED = Set.of("input", "output", "partitions");
  private static final Set<String> SWITCHES = Set.of("help", "overwrite");

  private ConvertCommand() {}

  static int run(String[] argv, PrintStream out) {
    Args a = Args.parse("convert", argv, VALUED, SWITCHES);
    if (a.flag("help")) {
      out.print("""
          usage: convert --input CSV --output PATH [options]
            --input CSV        CSV file with a header line
            --output PATH      Parquet directory to write; numeric columns become double
            --partitions P     part files (default 1)
            --overwrite        replace an existing output
          """);
      return 0;
    }
    String input = a.require("input");
    String output = a.require("output");
    int partitions = a.getInt("partitions", 1, 1);
    boolean overwrite = a.flag("overwrite");

    SparkSession spark = Sessions.get("convert", null);
    ParquetOut.checkTarget(spark, output, overwrite);
    Dataset<Row> csv;
    try {
      csv = spark.read().option("header", "true").option("inferSchema", "true").csv(input);
    } catch (Exception e) {
      throw new UsageException(input + ": cannot read as CSV: " + firstLine(e.getMessage()));
    }
    StructField[] fields = csv.schema().fields();
    Column[] cols = new Column[fields.length];
    for (int j = 0; j < fields.length; j++) {
      Column c = functions.col("`" + fields[j].name().replace("`", "``") + "`");
      cols[j] = fields[j].dataType() instanceof NumericType
          ? c.cast("double").as(fields[j].name()) : c;
    }
    Dataset<Row> data = csv.select(cols).coalesce(partitions);
    long rows = data.count();
    ParquetOut.write(data, output, overwrite);
    out.printf("convert: wrote %d rows, %d columns, from %s to %s%n", rows, fields.length, input,
        output);
    return 0;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
