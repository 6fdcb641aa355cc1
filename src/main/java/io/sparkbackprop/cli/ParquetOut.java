package io.sparkbackprop.cli;

import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.errors.OutputException;
import io.sparkbackprop.io.HadoopFiles;
import io.sparkbackprop.io.AtomicDir;
import java.io.IOException;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a Parquet directory all at once, through {@link AtomicDir}: Spark's tasks write into a
 * hidden temporary sibling, renamed into place only when every task has finished, so a reader
 * never sees half a data set under the output's name. Snappy-compressed; the local file system's
 * {@code .crc} side files are removed.
 */
final class ParquetOut {
  private ParquetOut() {}

  /**
   * Writes {@code data} to {@code output} as Parquet, replacing an existing output only when
   * {@code overwrite}, and only when it is Spark's Parquet output or an empty directory
   * ({@link OutputTarget.Kind#PARQUET}). Check the target first, before the expensive part, with
   * {@link AtomicDir#checkWritable}.
   *
   * @throws OutputException the output exists and may not be replaced, or writing failed
   */
  public static void write(Dataset<Row> data, String output, boolean overwrite) {
    Path out = new Path(output);
    AtomicDir.write(fileSystem(data.sparkSession(), out), out, overwrite,
        OutputTarget.Kind.PARQUET, (fs, dir) -> {
      data.write().mode(SaveMode.Overwrite).option("compression", "snappy")
          .parquet(dir.toString());
      FileSystem local = dir.getFileSystem(data.sparkSession().sparkContext()
          .hadoopConfiguration());
      if (local instanceof ChecksumFileSystem c) {
        // The checksum file system hides its .crc files from listings: list the raw one.
        for (FileStatus f : c.getRawFileSystem().listStatus(dir)) {
          if (f.getPath().getName().endsWith(".crc")) {
            c.getRawFileSystem().delete(f.getPath(), false);
          }
        }
      }
    });
  }

  private static FileSystem fileSystem(SparkSession spark, Path out) {
    try {
      return HadoopFiles.fileSystem(out, spark.sparkContext().hadoopConfiguration());
    } catch (IOException | IllegalArgumentException e) {
      throw new OutputException(OutputException.Kind.FAILED, out.toString(), out
          + ": cannot write: " + HadoopFiles.firstLine(e.getMessage()), e);
    }
  }
}
