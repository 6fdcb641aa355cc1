package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.sparkbackprop.spark.SparkTestSession;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken tables as a user meets them: the exit code, exactly one line on stderr naming the file,
 * the column and the row or value, no stack trace, and no model directory left behind. Most cases
 * run the train command in this JVM ({@link Main#run} with the shared test session; its stderr is
 * the PrintStream given to it, Spark's own log lines go where the test log4j2 configuration sends
 * them). Two run {@code jobs/train} in a process of its own, so that what the console shows is
 * what is tested: a table only a Spark task finds broken (Spark's task-failure logging goes to the
 * log file the one line names, not the console), and a run that succeeds (nothing on stderr). The
 * Parquet files are written by parquet-hadoop's low-level writer ({@link ParquetCorpus}), not by
 * Spark.
 */
@Tag("own-jvm")
class BadInputTest {
  @TempDir
  static Path dir;
  static Path good;

  @BeforeAll
  static void corpus() throws IOException {
    good = ParquetCorpus.write(dir.resolve("good.parquet"),
        "message t { required double x; required double label; }", ParquetCorpus.line(40));
  }

  /** What one run of the train command printed. */
  record Run(int code, String out, String err) {}

  /**
   * The train command in this JVM, with Spark's task-failure logging off meanwhile (it would go to
   * the test's console, not to {@code err}; the process cases show where it goes for a user).
   */
  static Run train(String... args) {
    List<String> argv = new ArrayList<>(List.of("train"));
    argv.addAll(Arrays.asList(args));
    CliRun r = SparkTestSession.quietly(
        () -> CliRun.of(argv.toArray(new String[0])),
        SparkTestSession.TASK_FAILURE_LOGGERS);
    return new Run(r.code(), r.out(), r.err());
  }

  /** {@code jobs/train} in a process of its own. */
  static Run jobsTrain(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of("jobs/train").toAbsolutePath().toString()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("SBP_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("SBP_LOG_DIR", dir.resolve("logs").toString());
    pb.environment().put("SBP_JVM_MEM", "-Xmx1g");
    pb.redirectOutput(dir.resolve("out.txt").toFile());
    pb.redirectError(dir.resolve("err.txt").toFile());
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("jobs/train did not finish in 180 s: " + cmd);
    }
    // stderr passes through a filter process that may flush after the JVM exits.
    Thread.sleep(200);
    return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  /**
   * Exit code {@code code}, one line on stderr with every word of {@code words}, no model; the
   * train command run in this JVM.
   */
  static Run refused(int code, List<String> words, String... args) throws Exception {
    return refused(false, code, words, args);
  }

  /** As {@link #refused(int, List, String...)}, through {@code jobs/train} when {@code process}. */
  static Run refused(boolean process, int code, List<String> words, String... args)
      throws Exception {
    Path model = dir.resolve("model");
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--model", model.toString(), "--iterations", "3"));
    String[] argv = all.toArray(new String[0]);
    Run r = process ? jobsTrain(argv) : train(argv);
    String err = r.err().strip();
    assertEquals(code, r.code(), "exit code of " + all + "; stderr: " + r.err());
    assertEquals(1, err.lines().count(), "exactly one line on stderr, got:\n" + r.err());
    assertTrue(err.startsWith("error: "), err);
    for (String w : words) {
      assertTrue(err.contains(w), "expected '" + w + "' in: " + err);
    }
    assertFalse(err.contains("\tat ") || err.contains("Exception in thread"), err);
    assertFalse(Files.exists(model), "a model directory was left behind");
    try (var s = Files.list(dir)) {
      assertTrue(s.noneMatch(f -> f.getFileName().toString().startsWith(".model.")),
          "a temporary model directory was left behind");
    }
    return r;
  }

  @Test
  void anEmptyFile() throws Exception {
    Path f = Files.createFile(dir.resolve("empty.parquet"));
    refused(2, List.of(f.toString(), "empty file (0 bytes)"), "--input", f.toString());
  }

  @Test
  void aFileThatIsNotParquet() throws Exception {
    Path f = Files.writeString(dir.resolve("notes.parquet"), "x,label\n1,3\n2,5\n");
    refused(2, List.of(f.toString(), "not a Parquet file", "'x,la'"), "--input", f.toString());
  }

  @Test
  void aTruncatedFile() throws Exception {
    Path f = dir.resolve("cut.parquet");
    byte[] bytes = Files.readAllBytes(good);
    Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
    refused(2, List.of(f.toString(), "truncated or damaged"), "--input", f.toString());
  }

  /**
   * A file whose footer reads but whose data pages are damaged: only a Spark task finds out. Through
   * jobs/train: the task's stack trace goes to the log file, which the one line names, not to the
   * console.
   */
  @Test
  void damagedDataPagesFailInATaskWhoseTraceGoesToTheLogFile() throws Exception {
    Path f = dir.resolve("pages.parquet");
    byte[] bytes = Files.readAllBytes(ParquetCorpus.write(dir.resolve("pages-src.parquet"),
        "message t { required double x; required double label; }", ParquetCorpus.line(2000)));
    for (int i = 4; i < bytes.length / 2; i++) {
      bytes[i] = (byte) 0xA5;
    }
    Files.write(f, bytes);
    Run r = refused(true, 2, List.of(f.toString(), "not readable as Parquet", "details: "),
        "--input", f.toString());
    String log = r.err().substring(r.err().indexOf("details: ") + 9, r.err().lastIndexOf(')'));
    assertTrue(Files.readString(Path.of(log)).contains("\tat "), "the log file has the trace");
  }

  @Test
  void aDirectoryWithOneBadPartNamesThatPart() throws Exception {
    Path d = dir.resolve("oneBad");
    ParquetCorpus.write(d.resolve("part-0.parquet"),
        "message t { required double x; required double label; }", ParquetCorpus.line(10));
    Path bad = Files.writeString(d.resolve("part-1.parquet"), "garbage");
    refused(2, List.of(bad.toString(), "too short to be Parquet"), "--input", d.toString());
  }

  @Test
  void partsThatDisagreeOnATypeNameBothFilesTheColumnAndBothTypes() throws Exception {
    Path d = dir.resolve("disagree");
    Path a = ParquetCorpus.write(d.resolve("part-0.parquet"),
        "message t { required int32 x; required double label; }",
        List.<Object[]>of(new Object[] {1, 3.0}, new Object[] {2, 5.0}));
    Path b = ParquetCorpus.write(d.resolve("part-1.parquet"),
        "message t { required binary x (STRING); required double label; }",
        List.<Object[]>of(new Object[] {"three", 7.0}));
    refused(2, List.of("column 'x'", "int32", a.toString(), "binary (string)", b.toString()),
        "--input", d.toString());
  }

  /** Through jobs/train: a run that succeeds leaves the console's stderr empty. */
  @Test
  void partsThatWidenLosslesslyTrain() throws Exception {
    Path d = dir.resolve("widen");
    ParquetCorpus.write(d.resolve("part-0.parquet"),
        "message t { required int32 x; required int64 label; }",
        List.<Object[]>of(new Object[] {1, 3L}, new Object[] {2, 5L}, new Object[] {3, 7L}));
    ParquetCorpus.write(d.resolve("part-1.parquet"),
        "message t { required double x; required double label; }",
        List.<Object[]>of(new Object[] {4.5, 10.0}, new Object[] {5.0, 11.0}));
    Run r = jobsTrain("--input", d.toString(), "--hidden", "2", "--iterations", "3", "--model",
        dir.resolve("widened").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("data: 5 rows, 1 features"), r.out());
    assertEquals("", r.err().strip(), "nothing on stderr when all is well");
  }

  @Test
  void aStringColumnIsNeverDroppedSilently() throws Exception {
    Path f = ParquetCorpus.write(dir.resolve("strings.parquet"),
        "message t { required double x; required binary city (STRING); required double label; }",
        List.<Object[]>of(new Object[] {1.0, "Oslo", 3.0}, new Object[] {2.0, "Bergen", 5.0}));
    refused(2, List.of(f.toString(), "'city' is string", "--features", "--exclude city"),
        "--input", f.toString());
    Run ok = train("--input", f.toString(), "--exclude", "city", "--hidden", "2",
        "--iterations", "2", "--model", dir.resolve("excluded").toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("1 features"), ok.out());
  }

  @Test
  void aNullIsCountedAndItsRowNamed() throws Exception {
    Path f = ParquetCorpus.write(dir.resolve("holes.parquet"),
        "message t { optional double x; required double label; }",
        List.<Object[]>of(new Object[] {1.0, 3.0}, new Object[] {2.0, 5.0},
            new Object[] {null, 7.0}, new Object[] {4.0, 9.0}));
    // VectorAssembler, which the command uses as a Spark program would, reads a null as NaN.
    refused(2, List.of(f.toString(), "1 of 4 rows", "x: 1", "row 2", "x = NaN",
        "--drop-invalid"), "--input", f.toString());
  }

  @Test
  void aRaggedArrayColumnNamesTheRowAndItsValues() throws Exception {
    Path f = ParquetCorpus.write(dir.resolve("ragged.parquet"),
        "message t { optional group xs (LIST) { repeated group list { optional double element; } }"
            + " required double label; }",
        List.<Object[]>of(new Object[] {new double[] {1, 2}, 3.0},
            new Object[] {new double[] {2, 3}, 5.0}, new Object[] {new double[] {4}, 7.0}));
    refused(2, List.of(f.toString(), "'xs'", "row 2", "[4.0]"), "--input", f.toString());
    Path ok = ParquetCorpus.write(dir.resolve("arrays.parquet"),
        "message t { optional group xs (LIST) { repeated group list { optional double element; } }"
            + " required double label; }",
        List.<Object[]>of(new Object[] {new double[] {1, 2}, 3.0},
            new Object[] {new double[] {2, 3}, 5.0}, new Object[] {new double[] {4, 1}, 7.0}));
    Run r = train("--input", ok.toString(), "--hidden", "2", "--iterations", "2", "--model",
        dir.resolve("arrays").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("3 rows, 2 features"), r.out());
  }

  @Test
  void zeroRowsAfterDroppingTheInvalidOnes() throws Exception {
    Path f = ParquetCorpus.write(dir.resolve("allbad.parquet"),
        "message t { optional double x; required double label; }",
        List.<Object[]>of(new Object[] {null, 3.0}, new Object[] {Double.NaN, 5.0}));
    refused(2, List.of(f.toString(), "no training rows left of 2 after leaving out 2"),
        "--input", f.toString(), "--drop-invalid");
  }

  @Test
  void aHugeValueStopsClearly() throws Exception {
    Path f = ParquetCorpus.write(dir.resolve("huge.parquet"),
        "message t { required double x; required double label; }",
        List.<Object[]>of(new Object[] {1.0, 3.0}, new Object[] {1e300, 5.0},
            new Object[] {-1e300, 7.0}));
    refused(2, List.of(f.toString(), "feature 'x' cannot be standardized", "too large"),
        "--input", f.toString());
    refused(1, List.of("objective is not finite", "--lr", "no model was written"),
        "--input", f.toString(), "--no-standardize");
  }

  @Test
  void aModelDirectoryThatCannotBeWritten() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Run r = train("--input", good.toString(), "--hidden", "2", "--iterations", "2", "--model",
        file.resolve("model").toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("not a directory"), r.err());
  }

  /** A file system that fills up while the model is written: a 64 KiB tmpfs (needs root). */
  @Test
  void aFileSystemThatFillsUp() throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("small"));
    Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
        mnt.toString()).redirectErrorStream(true).start();
    Assumptions.assumeTrue(m.waitFor(30, TimeUnit.SECONDS) && m.exitValue() == 0,
        "cannot mount a tmpfs here (not root?)");
    try {
      Path model = mnt.resolve("model");
      Run r = train("--input", good.toString(), "--hidden", "64", "--iterations", "20",
          "--lr", "0.001", "--model", model.toString());
      assertEquals(2, r.code(), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains(model.toString()) && r.err().contains("cannot write"),
          r.err());
      try (var s = Files.list(mnt)) {
        assertEquals(List.of(), s.toList(), "nothing left on the full file system");
      }
    } finally {
      new ProcessBuilder("umount", mnt.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
