package io.sparkbackprop.cli;

import io.sparkbackprop.io.AtomicDir;
import io.sparkbackprop.io.HadoopFiles;
import io.sparkbackprop.errors.OutputException;
import io.sparkbackprop.io.OutputTarget;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The check of a command's output, before any Spark job: it is not, does not hold and does not
 * lie inside one of the command's inputs; it is not the current directory, the home directory, a
 * directory above one of them or a file system root; it exists only with --overwrite and then
 * holds only what the output may replace ({@link OutputTarget}); and the temporary sibling the
 * atomic write will use can be created and written. Needs the session's Hadoop configuration
 * (the target may be on any Hadoop file system), so it runs after the session starts.
 */
final class Outputs {
  private Outputs() {}

  /**
   * @param option the output's option, e.g. {@code --model}, which starts the message
   * @param inputs each input's option to its path (null paths are skipped); not train's --init,
   *     which is read whole before anything is written, so a model may be trained on in place
   * @return the output's file system
   * @throws OutputException naming the option, the path and what was found there
   */
  static FileSystem check(SparkSession spark, String option, String target, boolean overwrite,
      OutputTarget.Kind kind, Map<String, String> inputs) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path path = new Path(target);
    try {
      FileSystem fs = HadoopFiles.fileSystem(path, conf);
      Map<String, String> described = new LinkedHashMap<>();
      inputs.forEach((opt, p) -> {
        if (p != null) {
          described.put(p, "the data of " + opt + " (" + p + ")");
        }
      });
      FileSystem local = FileSystem.getLocal(conf);
      String place = OutputTarget.checkPlace(fs.makeQualified(path),
          OutputTarget.inputs(conf, described), true,
          local.makeQualified(new Path(System.getProperty("user.dir"))),
          local.makeQualified(new Path(System.getProperty("user.home"))));
      if (place != null) {
        throw new OutputException(OutputException.Kind.REFUSED, target, option + " " + target
            + ": " + place + "; refusing to replace it", null);
      }
      AtomicDir.checkWritable(fs, path, overwrite, kind);
      return fs;
    } catch (OutputException e) {
      throw e.getMessage().startsWith(option + " ") ? e : new OutputException(e.kind(), target,
          option + " " + e.getMessage(), e.getCause());
    } catch (IOException | IllegalArgumentException e) {
      throw new OutputException(OutputException.Kind.FAILED, target, option + " " + target
          + ": cannot write: " + HadoopFiles.firstLine(e.getMessage()), e);
    }
  }
}
