package io.sparkbackprop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;

/**
 * Parquet files for the tests written by a writer other than Spark's: parquet-hadoop's own
 * low-level example writer, from a schema in Parquet's message syntax, e.g.
 * {@code message t { required int32 x; optional double label; }}. A null in a row leaves an
 * optional field out; a double[] fills a LIST field.
 */
final class ParquetCorpus {
  private ParquetCorpus() {}

  static Path write(Path file, String schema, List<Object[]> rows) throws IOException {
    Files.createDirectories(file.getParent());
    MessageType type = MessageTypeParser.parseMessageType(schema);
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(
        new org.apache.hadoop.fs.Path(file.toUri())).withType(type).withConf(new Configuration())
        .build()) {
      for (Object[] row : rows) {
        Group g = groups.newGroup();
        for (int i = 0; i < row.length; i++) {
          if (row[i] != null) {
            add(g, i, type.getType(i), row[i]);
          }
        }
        w.write(g);
      }
    }
    // The local file system's checksum file beside it is not part of the corpus.
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    return file;
  }

  private static void add(Group g, int i, Type t, Object v) {
    if (v instanceof double[] list) {
      Group outer = g.addGroup(i);
      for (double x : list) {
        outer.addGroup(0).append("element", x);
      }
      return;
    }
    switch (t.asPrimitiveType().getPrimitiveTypeName()) {
      case INT32 -> g.add(i, ((Number) v).intValue());
      case INT64 -> g.add(i, ((Number) v).longValue());
      case FLOAT -> g.add(i, ((Number) v).floatValue());
      case DOUBLE -> g.add(i, ((Number) v).doubleValue());
      case BOOLEAN -> g.add(i, (Boolean) v);
      case BINARY -> g.add(i, Binary.fromString(v.toString()));
      default -> throw new IllegalArgumentException("no writer for " + t);
    }
  }

  /** Rows {i, label} for i = 0..n-1 (label 2i + 1): a plain, valid table. */
  static List<Object[]> line(int n) {
    Object[][] rows = new Object[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = new Object[] {(double) i, 2.0 * i + 1};
    }
    return Arrays.asList(rows);
  }

}
