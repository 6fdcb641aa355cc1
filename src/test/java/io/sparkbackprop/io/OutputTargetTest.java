package io.sparkbackprop.io;

import io.sparkbackprop.errors.OutputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule of what an output may replace, and where it may never write. */
class OutputTargetTest {
  @TempDir
  java.nio.file.Path tmp;

  private final FileSystem fs = local();

  private static FileSystem local() {
    try {
      return HadoopFiles.local(new Configuration());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path dir(String name, String... files) throws IOException {
    java.nio.file.Path d = tmp.resolve(name);
    Files.createDirectories(d);
    for (String f : files) {
      java.nio.file.Path p = d.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, "x");
    }
    return new Path(d.toUri().toString());
  }

  @Test
  void recognisesModelsParquetOutputAndEmptyDirectories() throws IOException {
    Path model = dir("model", "model.json", "metadata/part-00000", "metadata/_SUCCESS",
        "metadata/.part-00000.crc", "history.csv", "loss.png");
    Path parquet = dir("parquet", "_SUCCESS", "part-00000-a.snappy.parquet",
        ".part-00000-a.snappy.parquet.crc", "._SUCCESS.crc", "_committed_1");
    Path empty = dir("empty");
    assertNull(OutputTarget.foreign(fs, model, OutputTarget.Kind.MODEL));
    assertNull(OutputTarget.foreign(fs, parquet, OutputTarget.Kind.PARQUET));
    assertNull(OutputTarget.foreign(fs, empty, OutputTarget.Kind.MODEL));
    assertNull(OutputTarget.foreign(fs, empty, OutputTarget.Kind.PARQUET));
    // each is not the other
    assertEquals("holds files that are not Spark's Parquet output (history.csv, loss.png,"
        + " metadata/, model.json)", OutputTarget.foreign(fs, model, OutputTarget.Kind.PARQUET));
    assertEquals("holds files that are not a model (part-00000-a.snappy.parquet)",
        OutputTarget.foreign(fs, parquet, OutputTarget.Kind.MODEL));
  }

  @Test
  void refusesWhatIsNotOurs() throws IOException {
    assertEquals("holds files that are not a model (notes.txt)", OutputTarget.foreign(fs,
        dir("proj", "model.json", "notes.txt"), OutputTarget.Kind.MODEL));
    assertEquals("holds no model.json, so it is not a model", OutputTarget.foreign(fs,
        dir("half", "history.csv"), OutputTarget.Kind.MODEL));
    assertEquals("holds files that are not a model (metadata/)", OutputTarget.foreign(fs,
        dir("meta", "model.json", "metadata/mine.txt"), OutputTarget.Kind.MODEL));
    assertEquals("holds files that are not Spark's Parquet output (a/, b.csv)",
        OutputTarget.foreign(fs, dir("out", "part-0", "b.csv", "a/part-0"),
            OutputTarget.Kind.PARQUET));
    assertEquals("holds files that are not Spark's Parquet output (.notes)",
        OutputTarget.foreign(fs, dir("hid", "part-0", ".notes"), OutputTarget.Kind.PARQUET));
    Path file = new Path(dir("f", "x.parquet"), "x.parquet");
    assertEquals("is a file, not Spark's Parquet output", OutputTarget.foreign(fs, file,
        OutputTarget.Kind.PARQUET));
    assertTrue(OutputTarget.foreign(fs, dir("many", "1", "2", "3", "4", "5", "6", "7"),
        OutputTarget.Kind.MODEL).endsWith("(1, 2, 3, 4, 5, ... 7 in all)"));
    assertNull(OutputTarget.foreign(fs, dir("any", "notes.txt"), OutputTarget.Kind.ANY));
  }

  private static String place(String target, Map<Path, String> inputs) {
    return OutputTarget.checkPlace(new Path(target), inputs, true, new Path("file:/w/proj/sub"),
        new Path("file:/home/u"));
  }

  @Test
  void refusesTheInputsAndTheWorkingPlaces() {
    Map<Path, String> in = Map.of(new Path("file:/d/train.parquet"), "the input");
    assertEquals("is the input", place("file:/d/train.parquet", in));
    assertEquals("is the input", place("file:/d/train.parquet/", in));
    assertEquals("holds the input", place("file:/d", in));
    assertEquals("is inside the input", place("file:/d/train.parquet/model", in));
    assertNull(place("file:/d/train", in), "a sibling whose name is a prefix");
    assertNull(place("file:/d/model", in));
    assertNull(place("hdfs://nn/d/train.parquet", in), "another file system");
    assertEquals("is the current directory", place("file:/w/proj/sub", Map.of()));
    assertEquals("holds the current directory", place("file:/w/proj", Map.of()));
    assertEquals("holds the current directory", place("file:/w", Map.of()));
    assertEquals("holds the current directory", place("file:/w/proj/sub/..", Map.of()));
    assertEquals("is the home directory", place("file:/home/u", Map.of()));
    assertEquals("holds the home directory", place("file:/home", Map.of()));
    assertEquals("is a file system root", place("file:/", Map.of()));
    assertEquals("is a file system root", place("hdfs://nn/", Map.of()));
    assertEquals("is a file system root", place("file:/w/..", in));
    assertEquals("holds the current directory", place("file:/w",
        Map.of(new Path("file:/w/data"), "the input")), "the working places come first");
    assertNull(place("file:/w/proj/sub/model", Map.of()), "below the current directory is fine");
    assertNull(place("file:/home/u/model", Map.of()));
    assertNull(OutputTarget.checkPlace(new Path("file:/w/proj"), Map.of(), false,
        new Path("file:/w/proj/sub"), null), "the library's writer: inputs only");
  }

  @Test
  void theAtomicWriteRefusesAndKeepsTheFiles() throws IOException {
    Path proj = dir("proj", "notes.txt");
    OutputException e = assertThrows(OutputException.class, () -> AtomicDir.write(fs, proj, true,
        OutputTarget.Kind.MODEL, (f, d) -> HadoopFiles.writeString(f, new Path(d, "model.json"),
            "{}")));
    assertEquals(OutputException.Kind.REFUSED, e.kind());
    assertEquals(proj + ": holds files that are not a model (notes.txt); refusing to replace it",
        e.getMessage());
    assertEquals("x", Files.readString(tmp.resolve("proj/notes.txt")));
    assertEquals(List.of("proj"), names(tmp), "nothing left beside it");
    // an empty directory is replaced
    Path empty = dir("empty");
    AtomicDir.write(fs, empty, true, OutputTarget.Kind.MODEL,
        (f, d) -> HadoopFiles.writeString(f, new Path(d, "model.json"), "{}"));
    assertEquals("{}", Files.readString(tmp.resolve("empty/model.json")));
  }

  @Test
  void theProbeFailsUnderAFileAndLeavesNothing() throws IOException {
    Files.writeString(tmp.resolve("file.txt"), "x");
    Path target = new Path(tmp.resolve("file.txt").toUri().toString() + "/sub/model");
    OutputException e = assertThrows(OutputException.class,
        () -> AtomicDir.checkWritable(fs, target, false, OutputTarget.Kind.MODEL));
    assertTrue(e.getMessage().startsWith(target + ": cannot write there: "), e.getMessage());
    assertEquals(List.of("file.txt"), names(tmp));
    // a creatable target: its missing parents are made for the probe and removed again
    Path deep = new Path(tmp.resolve("a/b/model").toUri().toString());
    AtomicDir.checkWritable(fs, deep, false, OutputTarget.Kind.MODEL);
    assertEquals(List.of("file.txt"), names(tmp));
  }

  private static List<String> names(java.nio.file.Path d) throws IOException {
    try (var s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
