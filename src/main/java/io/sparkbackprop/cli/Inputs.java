package io.sparkbackprop.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Tables as the commands read them: a Parquet path (any path or glob Spark reads), and the
 * numeric columns chosen as features assembled into one Vector column, as a Spark program would
 * with {@code VectorAssembler}. Null values become NaN in the vector, so that the library's one
 * check of the data counts and names them.
 */
final class Inputs {
  private Inputs() {}

  /** Reads Parquet at {@code path}; a missing or unreadable input is a one-line UsageException. */
  static Dataset<Row> read(SparkSession spark, String path) {
    FileStatus[] found;
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      found = fs.globStatus(p);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(path + ": cannot open: " + Failures.firstLine(e.getMessage()));
    }
    if (found == null || found.length == 0) {
      throw new UsageException(path + ": no such file or directory");
    }
    try {
      return spark.read().parquet(path);
    } catch (Exception e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new UsageException(path + ": not readable as Parquet (corrupt, or not Parquet): "
          + Failures.firstLine(root.getClass().getSimpleName() + ": " + root.getMessage()));
    }
  }

  /**
   * The feature columns: {@code wanted} in its order, or every numeric column but the label in
   * schema order; each checked to exist and be numeric, as is the label.
   *
   * @param label the label column, or null when there is none to check (predict)
   */
  static List<String> features(String path, Dataset<Row> df, String label, List<String> wanted) {
    List<String> names = Arrays.asList(df.columns());
    if (label != null) {
      requireNumeric(path, df, List.of(label), "label");
    }
    List<String> used = new ArrayList<>();
    if (wanted == null || wanted.isEmpty()) {
      for (StructField f : df.schema().fields()) {
        if (!f.name().equals(label) && f.dataType() instanceof NumericType) {
          used.add(f.name());
        }
      }
      if (used.isEmpty()) {
        throw new UsageException(path + ": no numeric column besides the label '" + label
            + "' (columns: " + String.join(", ", names) + ")");
      }
      return used;
    }
    if (new HashSet<>(wanted).size() != wanted.size()) {
      throw new UsageException(path + ": a feature column is named twice: "
          + String.join(",", wanted));
    }
    if (label != null && wanted.contains(label)) {
      throw new UsageException(path + ": the label '" + label + "' is also named as a feature");
    }
    requireNumeric(path, df, wanted, "feature");
    return List.copyOf(wanted);
  }

  /** Every column of {@code columns} exists in {@code df} and is numeric; all faults in one line. */
  static void requireNumeric(String path, Dataset<Row> df, List<String> columns, String what) {
    List<String> names = Arrays.asList(df.columns());
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    for (String c : columns) {
      if (!names.contains(c)) {
        missing.add("'" + c + "'");
      } else {
        DataType t = df.schema().apply(c).dataType();
        if (!(t instanceof NumericType)) {
          wrongType.add("'" + c + "' is " + t.simpleString());
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new UsageException(path + ": no " + what + " column " + String.join(", ", missing)
          + " (columns: " + String.join(", ", names) + ")");
    }
    if (!wrongType.isEmpty()) {
      throw new UsageException(path + ": " + what + " column " + String.join(", ", wrongType)
          + ", not numeric");
    }
  }

  /** A column name not in {@code df}: {@code wanted}, else wanted_1, wanted_2, ... */
  static String freeName(Dataset<Row> df, String wanted) {
    List<String> names = Arrays.asList(df.columns());
    String name = wanted;
    for (int i = 1; names.contains(name); i++) {
      name = wanted + "_" + i;
    }
    return name;
  }

  /** {@code df} with the columns {@code features} assembled into the Vector column {@code out}. */
  static Dataset<Row> assemble(Dataset<Row> df, List<String> features, String out) {
    return new VectorAssembler().setInputCols(features.toArray(new String[0])).setOutputCol(out)
        .setHandleInvalid("keep").transform(df);
  }
}
