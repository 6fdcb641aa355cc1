package io.sparkbackprop.cli;

import io.sparkbackprop.io.HadoopFiles;
import io.sparkbackprop.errors.FileFormatException;
import io.sparkbackprop.spark.ColumnNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet input checked on the driver before any Spark job reads it: every data file of a file,
 * a directory (its part files, recursively, leaving out names that start with {@code _} or
 * {@code .}, as Spark does) or a glob is opened, its first and last 4 bytes must be the Parquet
 * magic {@code PAR1} and its footer must read. So an empty, truncated or foreign file is named in
 * one line, and no executor fails on it. The footers' schemas are compared column by column:
 * numeric types that widen to double without loss (int32, int64, float, double, decimal) may
 * differ between parts ({@link Parts#groups}); any other difference is an error naming both files,
 * the column and both types.
 */
final class ParquetIn {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  /** The data files and their schemas, grouped by schema. */
  public record Parts(List<Path> files, Map<String, List<Path>> groups,
      List<String> widenedColumns) {
    /** Whether every file has the same schema. */
    public boolean uniform() {
      return groups.size() <= 1;
    }
  }

  private ParquetIn() {}

  /**
   * Checks {@code path}.
   *
   * @throws FileFormatException naming the first file that is not Parquet, or two files whose
   *     schemas disagree
   */
  public static Parts check(String path, Configuration conf) {
    List<Path> files = files(path, conf);
    Map<String, List<Path>> groups = new LinkedHashMap<>();
    Map<String, String[]> typeOf = new LinkedHashMap<>(); // column -> {type, file} first seen
    List<String> widened = new ArrayList<>();
    for (Path f : files) {
      MessageType schema = footer(f, conf);
      refuseCaseClash(f, schema);
      StringBuilder signature = new StringBuilder();
      for (Type t : schema.getFields()) {
        String type = describe(t);
        signature.append(t.getName()).append(':').append(type).append(';');
        String[] seen = typeOf.putIfAbsent(t.getName(), new String[] {type, show(f)});
        if (seen != null && !seen[0].equals(type)) {
          if (numeric(seen[0]) && numeric(type)) {
            if (!widened.contains(t.getName())) {
              widened.add(t.getName());
            }
          } else {
            throw new FileFormatException(path + ": the parts disagree on column '" + t.getName()
                + "': it is " + seen[0] + " in " + seen[1] + " but " + type + " in " + show(f));
          }
        }
      }
      groups.computeIfAbsent(signature.toString(), k -> new ArrayList<>()).add(f);
    }
    return new Parts(List.copyOf(files), groups, List.copyOf(widened));
  }

  /**
   * Two columns of one file that differ only in case ({@code F1}, {@code f1}) are one column to a
   * case-insensitive Spark session (the default), which then refuses the file: say so.
   */
  private static void refuseCaseClash(Path f, MessageType schema) {
    if (!ColumnNames.ignoreCase()) {
      return;
    }
    String[] clash = ColumnNames.caseClash(schema.getFields().stream().map(Type::getName)
        .toList(), null);
    if (clash != null) {
      throw new FileFormatException(show(f) + ": " + ColumnNames.caseClashMessage(clash[0],
          clash[1]));
    }
  }

  /** The data files of a file, a directory or a glob, in name order; at least one. */
  static List<Path> files(String path, Configuration conf) {
    List<Path> out = new ArrayList<>();
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] found = fs.globStatus(p);
      if (found == null || found.length == 0) {
        throw new FileFormatException(path + ": no such file or directory");
      }
      for (FileStatus s : found) {
        if (s.isFile()) {
          out.add(s.getPath());
          continue;
        }
        List<Path> inDir = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(s.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus f = it.next();
          if (!hidden(s.getPath(), f.getPath())) {
            inDir.add(f.getPath());
          }
        }
        inDir.sort(null);
        out.addAll(inDir);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new FileFormatException(path + ": cannot open: " + HadoopFiles.firstLine(
          e.getMessage()));
    }
    if (out.isEmpty()) {
      throw new FileFormatException(path + ": no data files (an empty directory)");
    }
    return out;
  }

  /** A name below {@code root} that starts with _ or . (Spark's rule for what is not data). */
  private static boolean hidden(Path root, Path file) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String n = p.getName();
      if (n.startsWith("_") || n.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The schema in {@code f}'s footer, after checking its magic bytes. */
  private static MessageType footer(Path f, Configuration conf) {
    try {
      FileSystem fs = f.getFileSystem(conf);
      long len = fs.getFileStatus(f).getLen();
      if (len == 0) {
        throw new FileFormatException(show(f) + ": an empty file (0 bytes), not Parquet");
      }
      if (len < 12) {
        throw new FileFormatException(show(f) + ": " + len + " bytes, too short to be Parquet");
      }
      byte[] head = new byte[4];
      byte[] tail = new byte[8];
      try (FSDataInputStream in = fs.open(f)) {
        in.readFully(0, head);
        in.readFully(len - 8, tail);
      }
      if (!java.util.Arrays.equals(head, MAGIC)) {
        throw new FileFormatException(show(f) + ": not a Parquet file (it starts with "
            + printable(head) + ", not PAR1)");
      }
      if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
        throw new FileFormatException(show(f) + ": truncated or damaged Parquet file (its last 4 bytes"
            + " are not PAR1; " + len + " bytes)");
      }
      long footer = (tail[0] & 0xffL) | (tail[1] & 0xffL) << 8 | (tail[2] & 0xffL) << 16
          | (tail[3] & 0xffL) << 24;
      if (footer <= 0 || footer > len - 12) {
        throw new FileFormatException(show(f) + ": damaged Parquet file (its footer length, " + footer
            + " bytes, does not fit in the file's " + len + ")");
      }
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(f, conf))) {
        return r.getFooter().getFileMetaData().getSchema();
      }
    } catch (FileFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new FileFormatException(show(f) + ": damaged Parquet file (its footer does not read: "
          + HadoopFiles.firstLine(e.getClass().getSimpleName() + ": " + e.getMessage()) + ")");
    }
  }

  /** A path as people write it: a local file without its "file:" scheme. */
  static String show(Path p) {
    return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
  }

  private static String printable(byte[] b) {
    StringBuilder sb = new StringBuilder("'");
    for (byte x : b) {
      sb.append(x >= 32 && x < 127 ? (char) x : '?');
    }
    return sb.append('\'').toString();
  }

  /** e.g. "int32", "double", "binary (string)", "int32 (date)", "group". */
  static String describe(Type t) {
    if (!t.isPrimitive()) {
      LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
      return a == null ? "group" : "group (" + a.toString().toLowerCase() + ")";
    }
    PrimitiveType p = t.asPrimitiveType();
    String name = p.getPrimitiveTypeName().name().toLowerCase();
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    return a == null ? name : name + " (" + a.toString().toLowerCase() + ")";
  }

  /** Whether a type from {@link #describe} widens to double without loss of meaning. */
  static boolean numeric(String type) {
    return type.equals("int32") || type.equals("int64") || type.equals("float")
        || type.equals("double") || type.contains("(decimal") || type.startsWith("int32 (int")
        || type.startsWith("int64 (int");
  }
}
