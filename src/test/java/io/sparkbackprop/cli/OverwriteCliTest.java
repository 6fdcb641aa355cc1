package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.spark.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --overwrite replaces only our own or Spark's output, never the user's files or the data being
 * read; an output that cannot be written is found before training.
 */
class OverwriteCliTest {
  private static final String DIABETES =
      Path.of("data/diabetes.parquet").toAbsolutePath().toString();

  @TempDir
  Path tmp;

  private static CliRun train(String model, String input, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "--input", input, "--hidden",
        "2", "--iterations", "3", "--model", model));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(new String[0]));
  }

  /** Exit code 2, exactly one line, the expected one, and no training. */
  private static void assertRefused(String expected, CliRun r) {
    assertEquals(2, r.code(), "exit code; stderr: " + r.err() + " stdout: " + r.out());
    String err = r.err().strip();
    assertFalse(err.contains("\n"), "not one line: " + r.err());
    assertEquals("error: " + expected, err);
    assertFalse(r.out().contains("iteration"), "it trained: " + r.out());
  }

  /** Every file under {@code dir} with its content. */
  private static List<String> snapshot(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().map(p -> {
        try {
          return dir.relativize(p) + "=" + java.util.Arrays.hashCode(Files.readAllBytes(p));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  /** A copy of the shipped data under tmp, so a wrong deletion costs nothing. */
  private Path data() throws IOException {
    Path copy = tmp.resolve("data/diabetes.parquet");
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(Path.of(DIABETES))) {
      for (Path p : s.toList()) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    return copy;
  }

  private Path userFolder() throws IOException {
    Path proj = tmp.resolve("proj");
    Files.createDirectories(proj.resolve("src"));
    Files.writeString(proj.resolve("notes.txt"), "my notes");
    Files.writeString(proj.resolve("src/Main.java"), "class Main {}");
    return proj;
  }

  @Test
  void trainRefusesAFolderOfUserFiles() throws IOException {
    Path proj = userFolder();
    List<String> before = snapshot(proj);
    assertRefused("--model " + proj + ": holds files that are not a model (notes.txt, src/);"
        + " refusing to replace it", train(proj.toString(), DIABETES, "--overwrite"));
    // without --overwrite too, and no hint to add it
    assertRefused("--model " + proj + ": holds files that are not a model (notes.txt, src/);"
        + " refusing to replace it", train(proj.toString(), DIABETES));
    Path file = proj.resolve("notes.txt");
    assertRefused("--model " + file + ": is a file, not a model; refusing to replace it",
        train(file.toString(), DIABETES, "--overwrite"));
    assertEquals(before, snapshot(proj), "the user's files changed");
  }

  @Test
  void predictRefusesAFolderOfNotes() throws IOException {
    Path model = tmp.resolve("m");
    assertEquals(0, train(model.toString(), DIABETES).code());
    Path proj = userFolder();
    List<String> before = snapshot(proj);
    assertRefused("--output " + proj + ": holds files that are not Spark's Parquet output"
        + " (notes.txt, src/); refusing to replace it", CliRun.of("predict", "--model", model.toString(),
        "--input", DIABETES, "--output", proj.toString(), "--overwrite"));
    assertEquals(before, snapshot(proj));
    // nor a model, which is not Parquet output
    List<String> modelBefore = snapshot(model);
    assertRefused("--output " + model + ": is the data of --model (" + model + ");"
        + " refusing to replace it", CliRun.of("predict", "--model", model.toString(), "--input",
        DIABETES, "--output", model.toString(), "--overwrite"));
    assertEquals(modelBefore, snapshot(model));
  }

  @Test
  void refusesTheInputWhatHoldsItAndWhatIsInsideIt() throws IOException {
    Path data = data();
    List<String> before = snapshot(tmp.resolve("data"));
    assertRefused("--model " + data + ": is the data of --input (" + data + "); refusing to"
        + " replace it", train(data.toString(), data.toString(), "--overwrite"));
    Path parent = data.getParent();
    assertRefused("--model " + parent + ": holds the data of --input (" + data + "); refusing to"
        + " replace it", train(parent.toString(), data.toString(), "--overwrite"));
    Path inside = data.resolve("model");
    assertRefused("--model " + inside + ": is inside the data of --input (" + data + "); refusing"
        + " to replace it", train(inside.toString(), data.toString()));
    // a glob input: each match counts
    String glob = parent + "/diab*";
    assertRefused("--model " + data + ": is the data of --input (" + glob + "); refusing to"
        + " replace it", train(data.toString(), glob, "--overwrite"));
    assertEquals(before, snapshot(tmp.resolve("data")), "the training data changed");
    // --output of predict is the input
    Path model = tmp.resolve("m");
    assertEquals(0, train(model.toString(), data.toString()).code());
    assertRefused("--output " + data + ": is the data of --input (" + data + "); refusing to"
        + " replace it", CliRun.of("predict", "--model", model.toString(), "--input", data.toString(),
        "--output", data.toString(), "--overwrite"));
    assertEquals(before, snapshot(tmp.resolve("data")));
  }

  @Test
  void refusesTheHomeDirectory() throws IOException {
    // an empty folder would be replaced; as the home directory it is not
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    String saved = System.getProperty("user.home");
    try {
      System.setProperty("user.home", home.toString());
      assertRefused("--model " + home + ": is the home directory; refusing to replace it",
          train(home.toString(), DIABETES, "--overwrite"));
      assertRefused("--output " + tmp + ": holds the home directory; refusing to replace it",
          CliRun.of("generate", "--rows", "10", "--output", tmp.toString(), "--overwrite"));
    } finally {
      System.setProperty("user.home", saved);
    }
    assertTrue(Files.isDirectory(home));
  }

  @Test
  void replacesAModelSparkOutputAndAnEmptyFolder() throws IOException {
    Path model = tmp.resolve("m");
    assertEquals(0, train(model.toString(), DIABETES).code());
    CliRun again = train(model.toString(), DIABETES, "--overwrite", "--iterations", "5");
    assertEquals(0, again.code(), again.err());
    assertEquals(6, Files.readAllLines(model.resolve("history.csv")).size(),
        "history.csv of the second run (header and 5 lines)");

    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    assertEquals(0, train(empty.toString(), DIABETES, "--overwrite").code());
    assertTrue(Files.exists(empty.resolve("model.json")));

    // Spark's own Parquet output (_SUCCESS, .crc side files), then ours over it
    SparkSession spark = SparkTestSession.get();
    Path out = tmp.resolve("out");
    spark.range(7).write().parquet(out.toString());
    assertTrue(Files.exists(out.resolve("._SUCCESS.crc")), "Spark wrote no .crc files here");
    CliRun gen = CliRun.of("generate", "--rows", "11", "--output", out.toString(),
        "--overwrite");
    assertEquals(0, gen.code(), gen.err());
    assertEquals(11, spark.read().parquet(out.toString()).count());
    CliRun pred = CliRun.of("predict", "--model", model.toString(), "--input", DIABETES,
        "--output", out.toString(), "--overwrite");
    assertEquals(0, pred.code(), pred.err());
    assertEquals(442, spark.read().parquet(out.toString()).count());
  }

  @Test
  void anUnwritableModelFailsBeforeTraining() throws IOException {
    Path file = tmp.resolve("file.txt");
    Files.writeString(file, "x");
    String under = file + "/sub/model";
    CliRun r = train(under, DIABETES);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().strip().startsWith("error: --model " + under + ": cannot write there: "),
        r.err());
    assertFalse(r.err().strip().contains("\n"), r.err());
    assertFalse(r.out().contains("iteration") || r.out().contains("data:"), r.out());
    assertEquals(List.of("file.txt=" + java.util.Arrays.hashCode("x".getBytes())), snapshot(tmp));

    CliRun proc = train("/proc/sbp-no-such/model", DIABETES);
    assertEquals(2, proc.code(), proc.err());
    assertTrue(proc.err().strip().startsWith("error: --model /proc/sbp-no-such/model: cannot"
        + " write there: "), proc.err());
    assertFalse(proc.out().contains("iteration"), proc.out());
  }

  @Test
  void anUnwritableCheckpointDirectoryFailsBeforeTraining() throws IOException {
    Path file = tmp.resolve("file.txt");
    Files.writeString(file, "x");
    Path model = tmp.resolve("m");
    CliRun r = train(model.toString(), DIABETES, "--checkpoint-dir", file + "/ck");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().strip().startsWith("error: cannot write a checkpoint in " + file + "/ck"),
        r.err());
    assertFalse(r.out().contains("iteration") || r.out().contains("data:"), r.out());
    assertFalse(Files.exists(model), "a model was written");
  }
}
