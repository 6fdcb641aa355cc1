package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.ml.Friedman;
import io.sparkbackprop.spark.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateTest {
  @TempDir Path dir;

  /** Runs Main; Spark's warning that the command reuses the tests' session is expected. */
  static CliRun main(String... argv) {
    return SparkTestSession.quietly(() -> CliRun.of(argv), "org.apache.spark.sql.SparkSession",
        "org.apache.spark.sql.classic.SparkSession");
  }

  @Test
  void writesTheRowsOfTheGeneratorOnePartFilePerPartition() throws IOException {
    SparkSession spark = SparkTestSession.get();
    String three = dir.resolve("f3.parquet").toString();
    CliRun r = main("generate", "--rows", "300", "--seed", "5", "--noise", "0.5", "--partitions", "3",
        "--output", three);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("300"), r.out());

    Dataset<Row> d3 = spark.read().parquet(three);
    assertEquals(Friedman.columns(), Arrays.asList(d3.columns()));
    assertEquals(300, d3.count());
    try (Stream<Path> s = Files.list(Path.of(three))) {
      List<String> names = s.map(p -> p.getFileName().toString()).toList();
      assertEquals(3, names.stream().filter(n -> n.endsWith(".parquet")).count(), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.endsWith(".crc")), names.toString());
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary left beside the output");
    }
    // The rows of the generator, which knows nothing of partitions.
    Comparator<double[]> byLabel = Comparator.comparingDouble(v -> v[10]);
    List<double[]> a = values(d3).stream().sorted(byLabel).toList();
    List<double[]> expected = new java.util.ArrayList<>();
    for (long i = 0; i < 300; i++) {
      double[] v = new double[11];
      v[10] = Friedman.row(5, i, 0.5, v);
      expected.add(v);
    }
    expected.sort(byLabel);
    for (int i = 0; i < 300; i++) {
      assertTrue(Arrays.equals(expected.get(i), a.get(i)), "row " + i + " (by label)");
    }
  }

  static List<double[]> values(Dataset<Row> d) {
    return d.collectAsList().stream().map(r -> {
      double[] v = new double[r.size()];
      for (int j = 0; j < v.length; j++) {
        v[j] = r.getDouble(j);
      }
      return v;
    }).toList();
  }

  @Test
  void refusesToOverwriteWithoutTheFlag() throws IOException {
    SparkTestSession.get();
    Path out = dir.resolve("f.parquet");
    CliRun r = main("generate", "--rows", "5", "--partitions", "1", "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    r = main("generate", "--rows", "10", "--output", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("already exists") && r.err().contains(out.toString()), r.err());
    assertEquals(5, SparkTestSession.get().read().parquet(out.toString()).count(), "left alone");

    r = main("generate", "--rows", "10", "--partitions", "1", "--output", out.toString(),
        "--overwrite");
    assertEquals(0, r.code(), r.err());
    assertEquals(10, SparkTestSession.get().read().parquet(out.toString()).count());

    // a file that is not Spark's output: never replaced, with or without the flag
    Files.writeString(out.resolve("keep.txt"), "x");
    for (boolean flag : new boolean[] {false, true}) {
      r = flag ? main("generate", "--rows", "10", "--output", out.toString(), "--overwrite")
          : main("generate", "--rows", "10", "--output", out.toString());
      assertEquals(2, r.code(), r.err());
      assertEquals("error: --output " + out + ": holds files that are not Spark's Parquet output"
          + " (keep.txt); refusing to replace it", r.err().strip());
      assertTrue(Files.exists(out.resolve("keep.txt")), "left alone");
    }
  }
}
