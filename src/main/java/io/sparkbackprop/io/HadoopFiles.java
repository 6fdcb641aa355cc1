package io.sparkbackprop.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Files through Hadoop's {@link FileSystem}, so that {@code hdfs://}, {@code s3a://},
 * {@code file:} and plain local paths all work. On the local file system the raw file system is
 * used, so no {@code .crc} side files appear beside what we write.
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  /** The file system of {@code path}; the raw one for the local file system. */
  public static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
    return raw(path.getFileSystem(conf));
  }

  /** The local file system, raw. */
  public static FileSystem local(Configuration conf) throws IOException {
    return raw(FileSystem.getLocal(conf));
  }

  private static FileSystem raw(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  /** Writes {@code text} as UTF-8 to a new file {@code p} (replacing one there). */
  public static void writeString(FileSystem fs, Path p, String text) throws IOException {
    try (OutputStream out = fs.create(p, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The whole of file {@code p} as UTF-8. */
  public static String readString(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Proves that {@code dir} can be created (with its missing parents) and a file written in it,
   * then removes the file and every directory it created; an existing {@code dir} stays.
   *
   * @throws IOException naming what could not be created or written
   */
  public static void probeWritable(FileSystem fs, Path dir, String fileName) throws IOException {
    Path created = null;
    for (Path p = dir; p != null && !fs.exists(p); p = p.getParent()) {
      created = p;
    }
    try {
      if (!fs.mkdirs(dir)) {
        throw new IOException("cannot create a directory in " + (created == null
            || created.getParent() == null ? dir : created.getParent()));
      }
      Path file = new Path(dir, fileName);
      writeString(fs, file, "");
      fs.delete(file, false);
    } finally {
      if (created != null && fs.exists(created)) {
        fs.delete(created, true);
      }
    }
  }

  /** The first line of a message, at most 300 characters. */
  public static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.strip();
    int nl = line.indexOf('\n');
    line = nl < 0 ? line : line.substring(0, nl).strip();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
