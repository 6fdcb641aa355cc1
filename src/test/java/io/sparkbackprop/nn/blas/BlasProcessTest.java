package io.sparkbackprop.nn.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Blas} as a JVM meets it at start, each case in a JVM of its own ({@link BlasProbe}): which
 * instance it returns, what it says, and whether netlib's own {@code BLAS.getInstance()} (Spark's)
 * agrees.
 */
@Tag("own-jvm")
class BlasProcessTest {
  @TempDir
  Path tmp;

  /** Blas.name(), Blas.description(), netlib's instance. */
  record Probe(String name, String description, String netlib) {}

  Probe probe(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules=jdk.incubator.vector", "-Xmx256m",
        "-cp", System.getProperty("java.class.path")));
    List<String> probeArgs = new ArrayList<>();
    for (String a : args) {
      (a.startsWith("-") ? cmd : probeArgs).add(a);
    }
    cmd.add(BlasProbe.class.getName());
    cmd.addAll(probeArgs);
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the probe JVM did not finish in 60 s: " + cmd);
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "probe " + Arrays.toString(args) + " stderr:\n" + stderr);
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(3, lines.size(), "probe output: " + lines + "\nstderr:\n" + stderr);
    return new Probe(lines.get(0), lines.get(1), lines.get(2));
  }

  @Test
  void onlyTheReferenceGivesVectorBlasHereAndInNetlib() throws Exception {
    Path ref = BlasFilesTest.reference();
    Probe p = probe("-D" + BlasRule.LIB_DIRS + "=" + ref.getParent());
    assertEquals("VectorBLAS", p.name());
    assertEquals("VectorBLAS (libblas.so.3 is the reference BLAS; no OpenBLAS, MKL or BLIS found)",
        p.description());
    if (netlibHasAllowNative()) {
      assertEquals("VectorBLAS", p.netlib(), "netlib's own instance (Spark's) agrees");
    }
  }

  /**
   * Whether netlib honours {@code dev.ludovic.netlib.blas.allowNative} (3.1 and later; Spark 3.5
   * brings 3.0.3, whose own instance keeps loading libblas.so.3 whatever this rule says).
   */
  static boolean netlibHasAllowNative() {
    try {
      dev.ludovic.netlib.blas.BLAS.class.getField("ALLOW_NATIVE_BLAS");
      return true;
    } catch (NoSuchFieldException e) {
      return false;
    }
  }

  @Test
  void theSystemDefaultIsNativeOpenBlas() throws Exception {
    Path open = BlasFilesTest.openBlas();
    Probe p = probe();
    assertEquals("JNIBLAS", p.name(), p.description());
    assertTrue(p.description().startsWith("JNIBLAS (OpenBLAS, "), p.description());
    assertEquals("JNIBLAS", p.netlib());
    assertTrue(open != null);
  }

  @Test
  void theReferenceBesideOpenBlasLoadsOpenBlasHereAndInNetlib() throws Exception {
    Path ref = BlasFilesTest.reference();
    Path open = BlasFilesTest.openBlas().toRealPath();
    Path dir = BlasFilesTest.linkDir("process-beside");
    Files.createSymbolicLink(dir.resolve("libblas.so.3"), ref.toRealPath());
    Files.createSymbolicLink(dir.resolve("libopenblas.so.0"), open);
    Probe p = probe("-D" + BlasRule.LIB_DIRS + "=" + dir);
    assertEquals("JNIBLAS (OpenBLAS, " + open + "; libblas.so.3 is the reference BLAS)",
        p.description());
    assertEquals("JNIBLAS", p.netlib());
  }

  @Test
  void netlibInitialisedFirstWithTheReferenceIsNotUsed() throws Exception {
    Path ref = BlasFilesTest.reference();
    Path open = BlasFilesTest.openBlas().toRealPath();
    Path dir = BlasFilesTest.linkDir("process-first");
    Files.createSymbolicLink(dir.resolve("libopenblas.so.0"), open);
    Probe p = probe("-D" + BlasRule.LIB_DIRS + "=" + dir,
        "-Ddev.ludovic.netlib.blas.nativeLibPath=" + ref.toRealPath(), "netlib-first");
    assertEquals("JNIBLAS", p.netlib(), "netlib itself loaded the reference");
    assertEquals("VectorBLAS (netlib's native BLAS was initialised before this rule ran, with another"
        + " library than " + open + ")", p.description());
  }

  @Test
  void aPathOverrideLoadsThatLibraryEvenTheReference() throws Exception {
    Path ref = BlasFilesTest.reference();
    Probe p = probe("-D" + BlasRule.OVERRIDE + "=" + ref);
    assertEquals("JNIBLAS (the reference BLAS, " + ref.toRealPath() + "; " + BlasRule.OVERRIDE + "="
        + ref + ")", p.description());
    Probe j = probe("-D" + BlasRule.OVERRIDE + "=java");
    assertEquals("VectorBLAS (sparkbackprop.blas=java)", j.description());
  }
}
