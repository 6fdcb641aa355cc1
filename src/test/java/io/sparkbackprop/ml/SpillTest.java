package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bigger than memory: training blocks that do not fit the storage memory (MEMORY_AND_DISK, the
 * default storageLevel, puts the rest on disk) train to the same weights, bit for bit, as blocks
 * that all fit. The small-memory run is a JVM of its own ({@link SpillProbe}): local mode's
 * storage memory is fixed when a SparkContext starts, and this JVM's shared session must not stop.
 */
@Tag("own-jvm")
class SpillTest {
  private static final String FRIEDMAN =
      Path.of("data/friedman-10k.parquet").toAbsolutePath().toString();
  private static final Pattern STORAGE =
      Pattern.compile("memory (\\d+) disk (\\d+) partitions (\\d+) of (\\d+)");

  @TempDir
  Path tmp;

  @Test
  void blocksOnDiskTrainToTheWeightsOfBlocksInMemory() throws Exception {
    String[] where = new String[1];
    double[] inMemory = SpillProbe.estimator().setListener((it, max) -> {
      if (it.iteration() == 1) {
        where[0] = SpillProbe.storage(MlFixtures.spark().sparkContext());
      }
    }).fit(SpillProbe.data(MlFixtures.spark(), FRIEDMAN)).weights();
    Matcher here = STORAGE.matcher(where[0]);
    assertTrue(here.matches(), where[0]);
    assertEquals("0", here.group(2), "blocks on disk in the session with enough memory: " + where[0]);

    List<String> probe = probe();
    Matcher there = STORAGE.matcher(probe.get(0));
    assertTrue(there.matches(), probe.get(0));
    assertTrue(Long.parseLong(there.group(2)) > 0,
        "no block went to disk in the small-memory JVM: " + probe.get(0));
    assertEquals(SpillProbe.bits(inMemory), probe.get(1),
        "weights (bits) with blocks in memory (" + where[0] + ") vs on disk (" + probe.get(0) + ")");
  }

  /** SpillProbe's two lines, from a JVM of its own with this JVM's module options. */
  private List<String> probe() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-Djdk.reflect")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SpillProbe.class.getName(),
        FRIEDMAN));
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the probe JVM did not finish in 180 s: " + cmd);
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "probe stderr:\n" + stderr);
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(2, lines.size(), "probe output: " + lines + "\nstderr:\n" + stderr);
    return lines;
  }
}
