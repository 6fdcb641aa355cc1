package io.sparkbackprop.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import io.sparkbackprop.spark.ColumnNames;
import io.sparkbackprop.errors.DataException;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import io.sparkbackprop.spark.FeatureColumn;
import org.apache.spark.sql.types.BooleanType;
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

  /**
   * Reads Parquet at {@code path} (a file, a directory or a glob). Every data file is checked on
   * the driver first ({@link ParquetIn}), so that a missing, empty, truncated or foreign file is
   * one line naming it before any Spark job runs. Parts whose numeric column types differ (int32
   * in one, double in another) are read each with its own schema, the differing columns cast to
   * double, and put together.
   */
  static Dataset<Row> read(SparkSession spark, String path) {
    ParquetIn.Parts parts = ParquetIn.check(path, spark.sparkContext().hadoopConfiguration());
    try {
      if (parts.uniform()) {
        return spark.read().parquet(path);
      }
      Dataset<Row> all = null;
      for (List<Path> group : parts.groups().values()) {
        Dataset<Row> g = spark.read().parquet(group.stream().map(Path::toString)
            .toArray(String[]::new));
        for (String c : parts.widenedColumns()) {
          if (Arrays.asList(g.columns()).contains(c)) {
            g = g.withColumn(c, ColumnNames.col(c).cast("double"));
          }
        }
        all = all == null ? g : all.unionByName(g, true);
      }
      return all;
    } catch (Exception e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new UsageException(path + ": not readable as Parquet: " + Failures.firstLine(
          root.getClass().getSimpleName() + ": " + root.getMessage()));
    }
  }

  /**
   * The chosen features: numeric columns to assemble into a Vector, or one Vector or numeric-array
   * column used as it is ({@code vector}, then {@code columns} is just that column).
   */
  record Chosen(List<String> columns, String vector) {}

  /**
   * The column {@code name} of {@code df} as {@link ColumnNames#field} resolves it (exactly, or
   * the text of a name in backticks, or ignoring case), or a usage error naming {@code path}.
   */
  static String column(String path, Dataset<Row> df, String name, String what) {
    try {
      return ColumnNames.resolve(df.schema(), name, what);
    } catch (DataException e) {
      throw new UsageException(path + ": " + e.getMessage());
    }
  }

  /**
   * The label columns {@code label} names: one column, or several separated by commas
   * ({@code y1,y2,y3}: a network of as many outputs, the columns assembled into a Vector label
   * with {@link #assemble}), each resolved and checked to be a number. A column whose own name
   * holds a comma is one label.
   */
  static List<String> labels(String path, Dataset<Row> df, String label) {
    if (!label.contains(",") || ColumnNames.find(df.schema(), label) != null) {
      return List.of(label);
    }
    List<String> parts = Arrays.asList(label.split(",", -1));
    requireNumeric(path, df, parts, "label");
    List<String> out = new ArrayList<>();
    for (String c : parts) {
      out.add(column(path, df, c, "label"));
    }
    if (new HashSet<>(out).size() != out.size()) {
      throw new UsageException(path + ": a label column is named twice: " + label);
    }
    return List.copyOf(out);
  }

  /** Whether {@code label} is a Vector or numeric-array column (a label of several outputs). */
  static boolean vectorLabel(Dataset<Row> df, String label) {
    StructField f = ColumnNames.find(df.schema(), label);
    return f != null && FeatureColumn.accepts(f.dataType());
  }

  /** Whether a column of type {@code t} is a number (cast to double; booleans as 0 and 1). */
  static boolean scalar(DataType t) {
    return t instanceof NumericType || t instanceof BooleanType;
  }

  /**
   * The feature columns: {@code wanted} in its order, or every column but the label and the
   * {@code excluded} ones in schema order. Numbers (any numeric type, and booleans) are assembled;
   * a Vector or numeric-array column may stand alone. A column of any other type is an error
   * naming it and its type, also when nobody named it: no column is left out silently.
   *
   * @param label the label column, checked to be numeric; null when there is none (predict)
   */
  static Chosen features(String path, Dataset<Row> df, String label, List<String> wanted,
      List<String> excluded) {
    List<String> names = Arrays.asList(df.columns());
    String listing = " (columns: " + ColumnNames.list(names) + ")";
    if (label != null) {
      if (!vectorLabel(df, label)) {
        requireNumeric(path, df, List.of(label), "label");
      }
      label = column(path, df, label, "label");
    }
    List<String> resolved = new ArrayList<>();
    for (String c : excluded) {
      StructField f = ColumnNames.find(df.schema(), c);
      if (f == null) {
        throw new UsageException(path + ": --exclude names no column '" + c + "'" + listing);
      }
      resolved.add(f.name());
    }
    List<String> used = wanted == null || wanted.isEmpty()
        ? allBut(path, df, label, resolved, listing) : named(path, df, label, wanted);
    return checked(path, df, names, used);
  }

  /** Every column but the label and the excluded ones, each a number, Vector or array. */
  private static List<String> allBut(String path, Dataset<Row> df, String label,
      List<String> excluded, String listing) {
    List<String> used = new ArrayList<>();
    List<String> other = new ArrayList<>();
    List<String> otherNames = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      if (f.name().equals(label) || excluded.contains(f.name())) {
        continue;
      }
      used.add(f.name());
      if (!scalar(f.dataType()) && !FeatureColumn.accepts(f.dataType())) {
        other.add("'" + f.name() + "' is " + f.dataType().simpleString());
        otherNames.add(f.name());
      }
    }
    if (!other.isEmpty()) {
      throw new UsageException(path + ": column " + String.join(", ", other) + ", not a number;"
          + " name the feature columns with --features, or leave " + (other.size() > 1
          ? "these" : "it") + " out with --exclude " + String.join(",", otherNames));
    }
    if (used.isEmpty()) {
      throw new UsageException(path + ": no feature column besides the label '" + label + "'"
          + listing);
    }
    return used;
  }

  /** The named columns (as the table spells them), none twice, not the label. */
  private static List<String> named(String path, Dataset<Row> df, String label,
      List<String> wanted) {
    List<String> found = new ArrayList<>();
    for (String c : wanted) {
      StructField f = ColumnNames.find(df.schema(), c);
      found.add(f == null ? c : f.name());
    }
    if (new HashSet<>(found).size() != found.size()) {
      throw new UsageException(path + ": a feature column is named twice: "
          + String.join(",", found));
    }
    if (label != null && found.contains(label)) {
      throw new UsageException(path + ": the label '" + label + "' is also named as a feature");
    }
    return found;
  }

  /** Each used column exists and is a number, or is the one Vector or array column. */
  private static Chosen checked(String path, Dataset<Row> df, List<String> names,
      List<String> used) {
    List<String> vectors = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    for (String c : used) {
      if (!names.contains(c)) {
        missing.add(c);
        continue;
      }
      DataType t = df.schema().apply(c).dataType();
      if (FeatureColumn.accepts(t)) {
        vectors.add(c);
      } else if (!scalar(t)) {
        wrongType.add("'" + c + "' is " + t.simpleString());
      }
    }
    if (!missing.isEmpty()) {
      throw new UsageException(path + ": " + ColumnNames.missing("feature", missing, names));
    }
    if (!wrongType.isEmpty()) {
      throw new UsageException(path + ": feature column " + String.join(", ", wrongType)
          + ", not numeric");
    }
    if (!vectors.isEmpty() && used.size() > 1) {
      throw new UsageException(path + ": the features are numeric columns, or one Vector or array"
          + " column, not both: " + String.join(", ", vectors) + " among " + String.join(", ",
          used) + " (choose with --features or --exclude)");
    }
    return new Chosen(List.copyOf(used), vectors.isEmpty() ? null : vectors.get(0));
  }

  /** Every column of {@code columns} exists in {@code df} and is a number; all faults in one line. */
  static void requireNumeric(String path, Dataset<Row> df, List<String> columns, String what) {
    List<String> names = Arrays.asList(df.columns());
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    for (String c : columns) {
      StructField f = ColumnNames.find(df.schema(), c);
      if (f == null) {
        missing.add(c);
      } else {
        column(path, df, c, what);
        DataType t = f.dataType();
        if (!scalar(t)) {
          wrongType.add("'" + c + "' is " + t.simpleString());
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new UsageException(path + ": " + ColumnNames.missing(what, missing, names));
    }
    if (!wrongType.isEmpty()) {
      throw new UsageException(path + ": " + what + " column " + String.join(", ", wrongType)
          + ", not numeric");
    }
  }

  /**
   * The number of values of the Vector or array column {@code c}: its ML attributes' size, else
   * the first non-null row's length (one small Spark job).
   */
  static int width(String path, Dataset<Row> df, String c) {
    int declared = FeatureColumn.attributeSize(df.schema(), c);
    if (declared > 0) {
      return declared;
    }
    List<Row> first = df.select(ColumnNames.col(c)).filter(ColumnNames.col(c).isNotNull())
        .limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new UsageException(path + ": column '" + c + "' has no non-null value");
    }
    Object v = first.get(0).get(0);
    return v instanceof org.apache.spark.ml.linalg.Vector vec ? vec.size()
        : ((scala.collection.Seq<?>) v).length();
  }

  /**
   * For a model's feature names: the one Vector or array column they name ("emb[0]", "emb[1]",
   * ... for a column "emb" of the table), or null when they are columns of their own.
   */
  static String vectorColumnOf(Dataset<Row> df, List<String> names) {
    if (names.isEmpty() || !names.get(0).endsWith("[0]")) {
      return null;
    }
    String c = names.get(0).substring(0, names.get(0).length() - 3);
    for (int j = 0; j < names.size(); j++) {
      if (!names.get(j).equals(c + "[" + j + "]")) {
        return null;
      }
    }
    return Arrays.asList(df.columns()).contains(c)
        && FeatureColumn.accepts(df.schema().apply(c).dataType()) ? c : null;
  }

  /** A table ready for a model: the features column, and whether it was assembled here. */
  record Prepared(Dataset<Row> data, String featuresCol, boolean assembled) {}

  /**
   * {@code table} with the model's features as one column: the Vector or array column its names
   * denote ({@link #vectorColumnOf}), else its numeric columns by name, assembled.
   *
   * @param label the label column to check as well, or null
   */
  static Prepared forModel(String path, Dataset<Row> table, List<String> names, String label) {
    String v = vectorColumnOf(table, names);
    if (v != null) {
      if (label != null) {
        requireNumeric(path, table, List.of(label), "label");
      }
      return new Prepared(table, v, false);
    }
    List<String> used = new ArrayList<>(names);
    if (label != null) {
      used.add(label);
    }
    requireNumeric(path, table, used, label == null ? "feature" : "feature or label");
    String f = freeName(table, "features");
    return new Prepared(assemble(table, names, f), f, true);
  }

  /** A column name not in {@code df} ({@link ColumnNames#free}): wanted, wanted_1, ... */
  static String freeName(Dataset<Row> df, String wanted) {
    return ColumnNames.free(Arrays.asList(df.columns()), wanted);
  }

  /**
   * {@code df} with the columns {@code features} assembled into the Vector column {@code out},
   * its ML attributes named after them. VectorAssembler reads its input columns with Spark's name
   * parser, which takes {@code a.b} for a field of a struct: it is given copies under plain names,
   * dropped afterwards.
   */
  static Dataset<Row> assemble(Dataset<Row> df, List<String> features, String out) {
    List<String> names = new ArrayList<>(Arrays.asList(df.columns()));
    names.add(out);
    String[] plain = new String[features.size()];
    Dataset<Row> g = df;
    for (int j = 0; j < plain.length; j++) {
      plain[j] = ColumnNames.free(names, "_assembled_" + j);
      names.add(plain[j]);
      g = g.withColumn(plain[j], ColumnNames.col(features.get(j)));
    }
    g = new VectorAssembler().setInputCols(plain).setOutputCol(out).setHandleInvalid("keep")
        .transform(g).drop(plain);
    Attribute[] attrs = AttributeGroup.fromStructField(g.schema().apply(out)).attributes().get();
    for (int j = 0; j < attrs.length; j++) {
      attrs[j] = attrs[j].withName(features.get(j));
    }
    return g.withColumn(out, ColumnNames.col(out).as(out, new AttributeGroup(out, attrs)
        .toMetadata()));
  }
}
