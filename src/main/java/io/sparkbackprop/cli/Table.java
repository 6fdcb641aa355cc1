package io.sparkbackprop.cli;

import io.sparkbackprop.cli.Sessions;
import io.sparkbackprop.spark.ColumnNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/** A small labelled table read whole into memory (for gradcheck): CSV with a header, or Parquet. */
record Table(int rows, double[] features, double[] labels) {

  /** Reads {@code features} (column-major) and {@code label} from a .csv file or Parquet. */
  static Table read(String path, String[] features, String label) {
    if (!Files.exists(Path.of(path))) {
      throw new UsageException(path + ": no such file or directory");
    }
    return path.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
        ? readCsv(path, features, label) : readParquet(path, features, label);
  }

  private static Table readCsv(String path, String[] features, String label) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(path));
    } catch (IOException e) {
      throw new UsageException(path + ": cannot read: " + e.getMessage());
    }
    if (lines.isEmpty()) {
      throw new UsageException(path + ": empty file, expected a header line");
    }
    List<String> header = Arrays.stream(lines.get(0).split(",")).map(String::trim).toList();
    int[] cols = new int[features.length + 1];
    for (int j = 0; j <= features.length; j++) {
      String name = j < features.length ? features[j].trim() : label;
      cols[j] = header.indexOf(name);
      if (cols[j] < 0) {
        throw new UsageException(path + ": no column '" + name + "' (columns: "
            + String.join(", ", header) + ")");
      }
    }
    List<double[]> rows = new ArrayList<>();
    for (int r = 1; r < lines.size(); r++) {
      if (lines.get(r).isBlank()) {
        continue;
      }
      String[] cells = lines.get(r).split(",", -1);
      double[] v = new double[cols.length];
      for (int j = 0; j < cols.length; j++) {
        String name = header.get(cols[j]);
        String cell = cols[j] < cells.length ? cells[cols[j]].trim() : "";
        try {
          v[j] = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw new UsageException(path + ": column '" + name + "', line " + (r + 1)
              + ": not a number: '" + cell + "'");
        }
        if (!Double.isFinite(v[j])) {
          throw new UsageException(path + ": column '" + name + "', line " + (r + 1)
              + ": not a finite number: '" + cell + "'");
        }
      }
      rows.add(v);
    }
    return of(path, rows, features.length);
  }

  private static Table readParquet(String path, String[] features, String label) {
    SparkSession spark = Sessions.get("gradcheck", null);
    Dataset<Row> df;
    try {
      df = spark.read().parquet(path);
    } catch (Exception e) {
      throw new UsageException(path + ": not readable as Parquet: "
          + Failures.firstLine(e.getMessage()));
    }
    List<String> names = Arrays.asList(df.columns());
    String[] used = Arrays.copyOf(features, features.length + 1);
    used[features.length] = label;
    for (String c : used) {
      if (!names.contains(c)) {
        throw new UsageException(path + ": no column '" + c + "' (columns: "
            + String.join(", ", names) + ")");
      }
      StructField f = df.schema().apply(c);
      if (!(f.dataType() instanceof NumericType)) {
        throw new UsageException(path + ": column '" + c + "' is " + f.dataType().simpleString()
            + ", not numeric");
      }
    }
    List<double[]> rows = new ArrayList<>();
    int r = 0;
    for (Row row : df.select(Arrays.stream(used).map(ColumnNames::col)
        .toArray(org.apache.spark.sql.Column[]::new)).collectAsList()) {
      r++;
      double[] v = new double[used.length];
      for (int j = 0; j < used.length; j++) {
        if (row.isNullAt(j)) {
          throw new UsageException(path + ": column '" + used[j] + "', row " + r + ": null");
        }
        v[j] = ((Number) row.get(j)).doubleValue();
        if (!Double.isFinite(v[j])) {
          throw new UsageException(path + ": column '" + used[j] + "', row " + r + ": " + v[j]);
        }
      }
      rows.add(v);
    }
    return of(path, rows, features.length);
  }

  private static Table of(String path, List<double[]> rows, int d) {
    int n = rows.size();
    if (n == 0) {
      throw new UsageException(path + ": no data rows");
    }
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double[] v = rows.get(i);
      for (int j = 0; j < d; j++) {
        x[j * n + i] = v[j];
      }
      y[i] = v[d];
    }
    return new Table(n, x, y);
  }
}
