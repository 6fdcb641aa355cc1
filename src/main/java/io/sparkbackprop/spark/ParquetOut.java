package io.sparkbackprop.spark;

import io.sparkbackprop.cli.UsageException;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a Parquet directory all at once: into a hidden temporary sibling first, renamed into
 * place only when every task has finished, so a reader never sees half a data set under the
 * output's name. Snappy-compressed; the local file system's .crc side files are removed.
 */
public final class ParquetOut {
  private ParquetOut() {}

  /** Refuses an existing {@code output} unless {@code overwrite}: call before the expensive part. */
  public static void checkTarget(SparkSession spark, String output, boolean overwrite) {
    try {
      Path out = new Path(output);
      FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(out) && !overwrite) {
        throw new UsageException(output + ": already exists (use --overwrite to replace it)");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(output + ": cannot write: " + TrainingData.firstLine(e.getMessage()));
    }
  }

  /**
   * Writes {@code data} to {@code output} as Parquet, replacing an existing output only when
   * {@code overwrite}. A replaced output is first renamed aside, then deleted.
   */
  public static void write(Dataset<Row> data, String output, boolean overwrite) {
    checkTarget(data.sparkSession(), output, overwrite);
    FileSystem fs;
    Path out;
    try {
      out = new Path(output);
      fs = out.getFileSystem(data.sparkSession().sparkContext().hadoopConfiguration());
      out = fs.makeQualified(out);
    } catch (IOException e) {
      throw new UsageException(output + ": cannot write: " + TrainingData.firstLine(e.getMessage()));
    }
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path tmp = new Path(out.getParent(), "." + out.getName() + ".tmp-" + tag);
    Path old = new Path(out.getParent(), "." + out.getName() + ".old-" + tag);
    try {
      data.write().option("compression", "snappy").parquet(tmp.toString());
      // The checksum file system hides its .crc files from listings: list the raw one.
      FileSystem raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
      for (FileStatus f : raw.listStatus(tmp)) {
        if (f.getPath().getName().endsWith(".crc")) {
          raw.delete(f.getPath(), false);
        }
      }
      if (fs.exists(out)) {
        if (!overwrite) {
          throw new UsageException(output + ": appeared while writing (use --overwrite to replace it)");
        }
        if (!fs.rename(out, old)) {
          throw new IOException("cannot move the existing " + out + " aside");
        }
      }
      if (!fs.rename(tmp, out)) {
        throw new IOException("cannot rename " + tmp + " to " + out);
      }
      if (fs.exists(old)) {
        fs.delete(old, true);
      }
    } catch (IOException e) {
      throw new UsageException(output + ": cannot write: " + TrainingData.firstLine(e.getMessage()));
    } finally {
      try {
        if (fs.exists(tmp)) {
          fs.delete(tmp, true);
        }
      } catch (IOException ignored) {
        // best effort: the temporary is hidden and named as such
      }
    }
  }
}
