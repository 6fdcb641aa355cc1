package io.sparkbackprop.model;

import io.sparkbackprop.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a directory atomically: everything goes to a hidden temporary sibling, which is renamed
 * into place only when complete, so a crash never leaves a half-written directory under the name.
 */
public final class AtomicDir {
  /** Fills a directory. */
  public interface Filler {
    void fill(Path dir) throws IOException;
  }

  private AtomicDir() {}

  /** Fails fast, before any work, when {@code target} exists and may not be overwritten. */
  public static void checkWritable(Path target, boolean overwrite, String what) {
    if (Files.exists(target) && !overwrite) {
      throw new UsageException(target + ": " + what + " already exists (use --overwrite to replace it)");
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
      throw new UsageException(parent + ": not a directory");
    }
  }

  public static void write(Path target, boolean overwrite, String what, Filler filler) {
    checkWritable(target, overwrite, what);
    Path abs = target.toAbsolutePath();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    Path old = abs.resolveSibling("." + abs.getFileName() + ".old-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(abs.getParent());
      deleteTree(tmp);
      Files.createDirectory(tmp);
      filler.fill(tmp);
      if (Files.exists(abs)) {
        Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
    } catch (IOException e) {
      deleteTree(tmp);
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(q -> {
        try {
          Files.delete(q);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
