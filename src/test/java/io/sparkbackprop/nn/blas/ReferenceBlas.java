package io.sparkbackprop.nn.blas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's reference BLAS ({@code libblas3}) as a file under {@code target/refblas}, never
 * installed (installing it would repoint this machine's {@code libblas.so.3}): {@code .ci/run}
 * extracts it with {@code apt-get download libblas3} and {@code dpkg -x}; when it is absent this
 * fixture does the same once, and tests skip only when that fails (no apt, no network).
 */
final class ReferenceBlas {
  static final Path ROOT = Path.of("target", "refblas").toAbsolutePath();
  private static String failure;

  private ReferenceBlas() {}

  /** The directory holding the reference {@code libblas.so.3}, or null (see {@link #why()}). */
  static synchronized Path dir() {
    Path found = find();
    if (found == null && failure == null) {
      failure = obtain();
      found = find();
      if (found == null && failure == null) {
        failure = "the extracted libblas3 package holds no blas/libblas.so.3 under " + ROOT;
      }
    }
    return found;
  }

  /** Why {@link #dir()} is null. */
  static String why() {
    return "no reference BLAS to test with (" + failure + "); .ci/run extracts Debian's libblas3"
        + " into " + ROOT;
  }

  private static Path find() {
    if (!Files.isDirectory(ROOT)) {
      return null;
    }
    try (Stream<Path> s = Files.walk(ROOT)) {
      return s.filter(p -> p.getFileName().toString().equals("libblas.so.3")
              && p.getParent().getFileName().toString().equals("blas") && Files.isRegularFile(p))
          .map(Path::getParent).findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** apt-get download libblas3, then dpkg -x; null on success, else what went wrong. */
  private static String obtain() {
    try {
      Files.createDirectories(ROOT);
      String r = run(List.of("apt-get", "download", "libblas3"));
      if (r != null) {
        return r;
      }
      try (Stream<Path> s = Files.list(ROOT)) {
        Path deb = s.filter(p -> p.getFileName().toString().startsWith("libblas3_")
            && p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
        if (deb == null) {
          return "apt-get download libblas3 left no .deb in " + ROOT;
        }
        return run(List.of("dpkg", "-x", deb.toString(), ROOT.toString()));
      }
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
          .redirectOutput(ROOT.resolve("obtain.log").toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", cmd) + " took over 120 s";
      }
      return p.exitValue() == 0 ? null
          : String.join(" ", cmd) + " exited " + p.exitValue() + ", see " + ROOT.resolve("obtain.log");
    } catch (IOException e) {
      return String.join(" ", cmd) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
