package io.sparkbackprop.io;

import io.sparkbackprop.errors.FileFormatException;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A model directory: Spark ML's layout, {@code metadata/part-00000} (one JSON line: class, uid,
 * Params, Spark version, as Spark's {@code DefaultParamsWriter} writes it), plus our data,
 * {@code model.json} (readable with any JSON library; see {@link SavedModel}). In Spark
 * Connect's local layout ({@code saveToLocal}) the metadata is the single file {@code metadata}.
 * A directory with only a {@code model.json} (as version 0.1 wrote them) reads too.
 */
public final class ModelDir {
  public static final String METADATA = "metadata";

  /** The metadata (null when the directory has none) and the model. */
  public record Contents(String metadataJson, SavedModel model) {}

  private ModelDir() {}

  /**
   * Writes the metadata and model.json into the existing, empty directory {@code dir}.
   *
   * @param localLayout the metadata as one file (Spark Connect's saveToLocal)
   */
  public static void writeInto(FileSystem fs, Path dir, String metadataJson, boolean localLayout,
      SavedModel model) throws IOException {
    if (localLayout) {
      HadoopFiles.writeString(fs, new Path(dir, METADATA), metadataJson);
    } else {
      Path meta = new Path(dir, METADATA);
      fs.mkdirs(meta);
      HadoopFiles.writeString(fs, new Path(meta, "part-00000"), metadataJson + "\n");
    }
    HadoopFiles.writeString(fs, new Path(dir, SavedModel.FILE), model.toJsonString());
  }

  /**
   * Reads a model directory, or a model.json file.
   *
   * @throws FileFormatException when there is no model or it is damaged
   */
  public static Contents read(FileSystem fs, Path dirOrFile) {
    try {
      if (!fs.exists(dirOrFile)) {
        throw new FileFormatException(dirOrFile + ": no such model directory or file");
      }
      if (fs.getFileStatus(dirOrFile).isFile()) {
        return new Contents(null, SavedModel.parse(dirOrFile.toString(),
            HadoopFiles.readString(fs, dirOrFile)));
      }
      Path file = new Path(dirOrFile, SavedModel.FILE);
      if (!fs.exists(file)) {
        throw new FileFormatException(dirOrFile + ": no model here (no " + SavedModel.FILE + ")");
      }
      SavedModel model = SavedModel.parse(file.toString(), HadoopFiles.readString(fs, file));
      return new Contents(metadata(fs, new Path(dirOrFile, METADATA)), model);
    } catch (IOException e) {
      throw new FileFormatException(dirOrFile + ": cannot read: "
          + HadoopFiles.firstLine(e.getMessage()));
    }
  }

  /** The first line of the metadata file, or of the first part file of a metadata directory. */
  private static String metadata(FileSystem fs, Path meta) throws IOException {
    if (!fs.exists(meta)) {
      return null;
    }
    Path file = meta;
    if (fs.getFileStatus(meta).isDirectory()) {
      FileStatus[] parts = fs.listStatus(meta, p -> p.getName().startsWith("part-"));
      if (parts.length == 0) {
        throw new FileFormatException(meta + ": no part file");
      }
      Arrays.sort(parts, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
      file = parts[0].getPath();
    }
    String text = HadoopFiles.readString(fs, file).strip();
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
