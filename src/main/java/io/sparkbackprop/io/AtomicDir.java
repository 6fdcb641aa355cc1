package io.sparkbackprop.io;

import io.sparkbackprop.errors.OutputException;
import java.io.IOException;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a directory atomically: everything goes to a hidden temporary sibling, which is renamed
 * into place only when complete, so a failure never leaves a half-written directory under the
 * name (on file systems whose rename is atomic, as HDFS's and the local one's; on object stores
 * such as S3 the rename is a copy, and only the temporary name protects readers). An existing
 * directory is replaced only when it holds what the output may replace ({@link OutputTarget}: a
 * model, Spark's Parquet output, an empty directory); it is first renamed aside, then deleted.
 */
public final class AtomicDir {
  /** Fills the (empty, temporary) directory {@code dir} of {@code fs}. */
  public interface Fill {
    void fill(FileSystem fs, Path dir) throws IOException;
  }

  /**
   * Fails fast, before any work: when {@code target} exists and may not be replaced (it holds
   * what an output of {@code kind} may not replace, see {@link OutputTarget}; or it may be but
   * {@code overwrite} is false), its parent is a file, or the temporary sibling that {@link #write}
   * uses cannot be created and written (it is created and removed again).
   */
  public static void checkWritable(FileSystem fs, Path target, boolean overwrite,
      OutputTarget.Kind kind) {
    checkReplaceable(fs, target, overwrite, kind);
    try {
      Path abs = fs.makeQualified(target);
      HadoopFiles.probeWritable(fs, new Path(abs.getParent(), "." + abs.getName() + ".tmp-"
          + java.util.UUID.randomUUID().toString().substring(0, 8)), ".probe");
    } catch (IOException | RuntimeException e) {
      throw new OutputException(OutputException.Kind.FAILED, target.toString(), target
          + ": cannot write there: " + HadoopFiles.firstLine(e.getMessage()), e);
    }
  }

  /** The checks of {@link #checkWritable} but the probe. */
  private static void checkReplaceable(FileSystem fs, Path target, boolean overwrite,
      OutputTarget.Kind kind) {
    try {
      if (fs.exists(target)) {
        String foreign = OutputTarget.foreign(fs, target, kind);
        if (foreign != null) {
          throw new OutputException(OutputException.Kind.REFUSED, target.toString(), target
              + ": " + foreign + "; refusing to replace it", null);
        }
        if (!overwrite) {
          throw new OutputException(OutputException.Kind.EXISTS, target.toString(), target
              + ": already exists", null);
        }
      }
      Path parent = target.getParent();
      if (parent != null && fs.exists(parent) && !fs.getFileStatus(parent).isDirectory()) {
        throw new OutputException(OutputException.Kind.FAILED, target.toString(), target
            + ": cannot write there: " + parent + " is a file, not a directory", null);
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
   * @param kind what the output is, so what it may replace ({@link OutputTarget})
   * @throws OutputException the target exists and may not be replaced, or the file system failed
   */
  public static void write(FileSystem fs, Path target, boolean overwrite,
      OutputTarget.Kind kind, Fill fill) {
    checkReplaceable(fs, target, overwrite, kind);
    Path abs = fs.makeQualified(target);
    String tag = java.util.UUID.randomUUID().toString().substring(0, 8);
    Path tmp = new Path(abs.getParent(),
        "." + abs.getName() + ".tmp-" + tag);
    Path old = new Path(abs.getParent(),
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
    } catch (IOException | FSError e) {
      // FSError: how Hadoop's local file system reports a failed write, e.g. a full disk.
      cleanUp(fs, tmp, old, abs, movedAside);
      Throwable cause = e instanceof FSError && e.getCause() != null ? e.getCause() : e;
      throw new OutputException(OutputException.Kind.FAILED, target.toString(), target
          + ": cannot write: " + HadoopFiles.firstLine(cause.getMessage()), e);
    } catch (RuntimeException | Error e) {
      cleanUp(fs, tmp, old, abs, movedAside);
      throw e;
    }
  }

  /** After a failure: remove the temporary, put a moved-aside original back. Best effort. */
  private static void cleanUp(FileSystem fs, Path tmp,
      Path old, Path target, boolean movedAside) {
    try {
      fs.delete(tmp, true);
      if (movedAside && !fs.exists(target)) {
        fs.rename(old, target);
      }
    } catch (IOException | RuntimeException ignored) {
      // the failure being reported matters more; the leftovers are hidden and named as such
    }
  }

  private AtomicDir() {}
}
