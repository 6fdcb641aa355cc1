package io.sparkbackprop.io;

import io.sparkbackprop.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;

/**
 * Writes a directory atomically: everything goes to a hidden temporary sibling, which is renamed
 * into place only when complete, so a failure never leaves a half-written directory under the
 * name (on file systems whose rename is atomic, as HDFS's and the local one's; on object stores
 * such as S3 the rename is a copy, and only the temporary name protects readers). An existing
 * directory that is replaced is first renamed aside, then deleted.
 */
public final class AtomicDir {
  /** Fills the (empty, temporary) directory {@code dir} of {@code fs}. */
  public interface Fill {
    void fill(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException;
  }

  /**
   * Fails fast, before any work: when {@code target} exists and may not be replaced, or its
   * parent is a file.
   */
  public static void checkWritable(FileSystem fs, org.apache.hadoop.fs.Path target,
      boolean overwrite) {
    try {
      if (fs.exists(target) && !overwrite) {
        throw new OutputException(OutputException.Kind.EXISTS, target.toString(), target
            + ": already exists", null);
      }
      org.apache.hadoop.fs.Path parent = target.getParent();
      if (parent != null && fs.exists(parent) && !fs.getFileStatus(parent).isDirectory()) {
        throw new OutputException(OutputException.Kind.FAILED, target.toString(), parent
            + ": not a directory", null);
      }
    } catch (IOException e) {
      throw new OutputException(OutputException.Kind.FAILED, target.toString(), target
          + ": cannot write: " + HadoopFiles.firstLine(e.getMessage()), e);
    }
  }

  /**
   * Writes {@code target} through {@code fill}, atomically (see the class comment). Whatever
   * fails, Errors included, the temporary directory is removed and an existing target is left as
   * it was.
   *
   * @throws OutputException the target exists and may not be replaced, or the file system failed
   */
  public static void write(FileSystem fs, org.apache.hadoop.fs.Path target, boolean overwrite,
      Fill fill) {
    checkWritable(fs, target, overwrite);
    org.apache.hadoop.fs.Path abs = fs.makeQualified(target);
    String tag = java.util.UUID.randomUUID().toString().substring(0, 8);
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(abs.getParent(),
        "." + abs.getName() + ".tmp-" + tag);
    org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(abs.getParent(),
        "." + abs.getName() + ".old-" + tag);
    boolean movedAside = false;
    try {
      if (!fs.mkdirs(tmp)) {
        throw new IOException("cannot create " + tmp);
      }
      fill.fill(fs, tmp);
      if (fs.exists(abs)) {
        if (!overwrite) {
          throw new OutputException(OutputException.Kind.EXISTS, target.toString(), target
              + ": appeared while it was written", null);
        }
        if (!fs.rename(abs, old)) {
          throw new IOException("cannot move the existing " + abs + " aside");
        }
        movedAside = true;
      }
      if (!fs.rename(tmp, abs)) {
        throw new IOException("cannot rename " + tmp + " to " + abs);
      }
      if (movedAside) {
        fs.delete(old, true);
      }
    } catch (IOException e) {
      cleanUp(fs, tmp, old, abs, movedAside);
      throw new OutputException(OutputException.Kind.FAILED, target.toString(), target
          + ": cannot write: " + HadoopFiles.firstLine(e.getMessage()), e);
    } catch (RuntimeException | Error e) {
      cleanUp(fs, tmp, old, abs, movedAside);
      throw e;
    }
  }

  /** After a failure: remove the temporary, put a moved-aside original back. Best effort. */
  private static void cleanUp(FileSystem fs, org.apache.hadoop.fs.Path tmp,
      org.apache.hadoop.fs.Path old, org.apache.hadoop.fs.Path target, boolean movedAside) {
    try {
      fs.delete(tmp, true);
      if (movedAside && !fs.exists(target)) {
        fs.rename(old, target);
      }
    } catch (IOException | RuntimeException ignored) {
      // the failure being reported matters more; the leftovers are hidden and named as such
    }
  }

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
