package io.sparkbackprop.nn.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.blas.BlasChoice.Use;
import io.sparkbackprop.nn.blas.BlasLibrary.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BlasLibrary#identify} and {@link BlasRule} on real library files: Debian's reference BLAS
 * (extracted, not installed: {@link ReferenceBlas}) and this machine's OpenBLAS.
 */
class BlasFilesTest {
  @TempDir
  Path tmp;

  static Path reference() {
    Path dir = ReferenceBlas.dir();
    Assumptions.assumeTrue(dir != null, ReferenceBlas::why);
    return dir.resolve("libblas.so.3");
  }

  /** An OpenBLAS library of this machine (libopenblas*, not a front end), or the test is skipped. */
  static Path openBlas() {
    List<BlasLibrary> libs = BlasRule.observe(BlasRule.standardDirs(System.getenv("LD_LIBRARY_PATH"),
        System.getProperty("os.arch")), null, true, true, "libblas.so.3").libraries();
    Path found = libs.stream().filter(l -> l.kind() == Kind.OPENBLAS
            && l.path().getFileName().toString().startsWith("libopenblas"))
        .map(BlasLibrary::path).findFirst().orElse(null);
    Assumptions.assumeTrue(found != null,
        "no libopenblas on this machine (.ci/run installs Debian's libopenblas0-pthread)");
    return found;
  }

  /**
   * A fresh, empty directory {@code target/blas-tests/<name>} for symlinks to library files (not a
   * JUnit temporary directory, whose clean-up warns about every link to a file outside it).
   */
  static Path linkDir(String name) throws IOException {
    Path dir = Path.of("target", "blas-tests", name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (var s = Files.walk(dir)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);  // a link, not what it points at
        }
      }
    }
    return Files.createDirectories(dir);
  }

  static BlasChoice ruleOn(Path... dirs) {
    return BlasRule.choose(BlasRule.observe(List.of(dirs), null, true, true, "libblas.so.3"));
  }

  @Test
  void identifiesTheReferenceAndOpenBlas() throws IOException {
    assertEquals(Kind.REFERENCE, BlasLibrary.identify(reference()).kind());
    Path open = openBlas();
    BlasLibrary o = BlasLibrary.identify(open);
    assertEquals(Kind.OPENBLAS, o.kind());
    assertEquals(open.toRealPath(), o.file());
    // Debian's front end beside it defines dgemm_, imports gotoblas and needs libopenblas.so.0
    Path front = open.toRealPath().getParent().resolve("libblas.so.3");
    if (Files.isRegularFile(front)) {
      assertEquals(Kind.OPENBLAS, BlasLibrary.identify(front).kind(), front.toString());
    }
  }

  @Test
  void otherFilesAreNoBlas() throws IOException {
    Path libjava = Path.of(System.getProperty("java.home"), "lib", "libjava.so");
    if (Files.isRegularFile(libjava)) {
      assertEquals(Kind.NOT_BLAS, BlasLibrary.identify(libjava).kind(), "an ELF library without dgemm_");
    }
    Path text = Files.writeString(tmp.resolve("libblas.so.3"), "dgemm_ openblas_get_config\n");
    assertEquals(Kind.NOT_BLAS, BlasLibrary.identify(text).kind(), "names in a text file");
    byte[] head = Files.readAllBytes(reference());
    Path cut = Files.write(tmp.resolve("cut.so"), java.util.Arrays.copyOf(head, 100));
    assertEquals(Kind.NOT_BLAS, BlasLibrary.identify(cut).kind(), "a truncated library");
    assertEquals(Kind.NOT_BLAS, BlasLibrary.identify(tmp.resolve("missing.so")).kind());
  }

  @Test
  void onlyTheReferenceGivesTheJavaBlas() {
    Path ref = reference();
    BlasChoice c = ruleOn(ref.getParent());
    assertEquals(Use.JAVA, c.use(), c.toString());
    assertEquals("libblas.so.3 is the reference BLAS; no OpenBLAS, MKL or BLIS found", c.reason());
  }

  @Test
  void theReferenceBesideOpenBlasGivesOpenBlas() throws IOException {
    Path ref = reference();
    Path open = openBlas();
    Path dir = linkDir("beside");
    Files.createSymbolicLink(dir.resolve("libblas.so.3"), ref.toRealPath());
    Files.createSymbolicLink(dir.resolve("libopenblas.so.0"), open.toRealPath());
    BlasChoice c = ruleOn(dir);
    assertEquals(Use.NATIVE, c.use(), c.toString());
    assertEquals(Kind.OPENBLAS, c.library().kind());
    assertEquals(open.toRealPath(), c.library().file());
    assertEquals("libblas.so.3 is the reference BLAS", c.reason());
  }

  @Test
  void openBlasInDebiansSubdirectoryIsFound() throws IOException {
    Path ref = reference();
    Path open = openBlas();
    Path dir = linkDir("multiarch");
    Files.createSymbolicLink(dir.resolve("libblas.so.3"), ref.toRealPath());
    Path sub = Files.createDirectories(dir.resolve("openblas-pthread"));
    Files.createSymbolicLink(sub.resolve("libopenblas.so.0"), open.toRealPath());
    BlasChoice c = ruleOn(tmp.resolve("empty"), dir);
    assertEquals(Use.NATIVE, c.use(), c.toString());
    assertEquals(open.toRealPath(), c.library().file());
  }

  @Test
  void theFirstDirectoryHoldingLibblasIsNetlibsDefault() throws IOException {
    Path ref = reference();
    Path open = openBlas();
    Path a = linkDir("first-a");
    Path b = linkDir("first-b");
    Files.createSymbolicLink(a.resolve("libblas.so.3"), open.toRealPath());
    Files.createSymbolicLink(b.resolve("libblas.so.3"), ref.toRealPath());
    BlasChoice c = ruleOn(a, b);
    assertEquals("libblas.so.3 is OpenBLAS", c.reason());
    assertTrue(c.library().path().startsWith(a), c.toString());
    assertEquals(Use.JAVA, ruleOn(b, tmp.resolve("none")).use());
  }
}
