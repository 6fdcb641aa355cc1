package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The launch scripts in jobs/: every one of them (found in the directory, not listed here)
 * answers {@code --help} and {@code -h} with its usage on stdout and exit code 0, and does nothing
 * else: no build, no Spark, no file or directory created in the project, the working directory, the
 * log directory or TMPDIR. The scripts that run the Java command line get this JVM's classpath
 * (SBP_CLASSPATH), as BadInputTest does, so that no Maven build runs.
 */
@Tag("own-jvm")
class JobScriptsTest {
  static final Path HOME = Path.of("").toAbsolutePath();
  static final Path JOBS = HOME.resolve("jobs");

  @TempDir
  Path tmp;

  /** What one run of a script printed. */
  record Run(int code, String out, String err) {}

  /** Every script in jobs/: the executable files there, not the sourced _*.sh. */
  static Stream<String> scripts() throws IOException {
    try (Stream<Path> s = Files.list(JOBS)) {
      List<String> names = s.filter(Files::isRegularFile).filter(Files::isExecutable)
          .map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_")).sorted().toList();
      assertTrue(names.containsAll(List.of("train", "quality", "cluster", "submit")),
          "jobs/ scripts found: " + names);
      return names.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void answersHelpAndDoesNothingElse(String name) throws Exception {
    for (String flag : List.of("--help", "-h")) {
      Set<String> before = project();
      Path cwd = Files.createDirectories(tmp.resolve("cwd"));
      Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
      Path logs = tmp.resolve("logs");
      Run r = run(cwd, List.of(JOBS.resolve(name).toString(), flag), tmpdir, logs);
      String what = "jobs/" + name + " " + flag;
      assertEquals(0, r.code(), what + ": exit code; stderr: " + r.err());
      String usage = r.out().toLowerCase(Locale.ROOT);
      assertTrue(usage.contains("usage") && (usage.contains("jobs/" + name)
          || usage.contains("spark-backprop " + name)),
          what + ": expected a usage naming the script on stdout, got: " + r.out());
      assertEquals("", r.err(), what + ": stderr");
      assertEquals(List.of(), list(cwd), what + ": files made in the working directory");
      assertEquals(List.of(), list(tmpdir), what + ": files made in TMPDIR");
      assertFalse(Files.exists(logs), what + ": made the log directory " + logs);
      Set<String> made = new TreeSet<>(project());
      made.removeAll(before);
      assertEquals(Set.of(), made, what + ": made in the project");
    }
  }

  /**
   * Debian's Maven 3.8 writes ESC[0m to stdout and stderr even with -q -B: the environment the
   * scripts give Maven (jobs/_lib.sh) must keep its output free of escape codes. Runs mvn -o
   * validate, which builds nothing.
   */
  @Test
  void mavenRunFromTheScriptsWritesNoEscapeCodes() throws Exception {
    Path mvn = Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .map(d -> Path.of(d, "mvn")).filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(mvn != null, "no mvn on PATH");
    Run r = run(HOME, List.of("bash", "-c",
        "source jobs/_lib.sh && cd \"$SBP_HOME\" && mvn -q -B -o validate"), null, null);
    assertEquals(0, r.code(), "mvn -q -B -o validate: " + r.out() + r.err());
    assertFalse(r.out().contains("\u001b"), "ESC on stdout: " + r.out().replace("\u001b", "ESC"));
    assertFalse(r.err().contains("\u001b"), "ESC on stderr: " + r.err().replace("\u001b", "ESC"));
  }

  /**
   * Runs {@code cmd} in {@code cwd}; a process still running after 60 s (a script that ignores
   * --help and starts its job) is killed with its descendants and fails the test.
   */
  private Run run(Path cwd, List<String> cmd, Path tmpdir, Path logs) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().put("SBP_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("SBP_JVM_MEM", "-Xmx256m");
    if (tmpdir != null) {
      pb.environment().put("TMPDIR", tmpdir.toString());
    }
    if (logs != null) {
      pb.environment().put("SBP_LOG_DIR", logs.toString());
    }
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(cmd + " still ran after 60 s");
    }
    // stderr of the Java commands passes through a filter process that may flush after the JVM.
    Thread.sleep(200);
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** The paths in the project, but for .git and the test run's own reports. */
  private static Set<String> project() throws IOException {
    try (Stream<Path> s = Files.walk(HOME)) {
      return s.map(p -> HOME.relativize(p).toString())
          .filter(p -> !p.startsWith(".git") && !p.startsWith("target/surefire"))
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
