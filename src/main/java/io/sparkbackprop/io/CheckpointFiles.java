package io.sparkbackprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.optim.Checkpoint;
import io.sparkbackprop.optim.Iteration;
import io.sparkbackprop.errors.TrainingFailed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints as JSON files in a directory of any Hadoop file system:
 * {@code checkpoint-00000020.json} after iteration 20. Each is written under a hidden temporary
 * name and renamed when complete; then the older ones are deleted. So at every moment the newest
 * complete checkpoint is readable, on file systems without an atomic replace too (S3). Doubles
 * are written in Java's shortest round-trip form, so reading gives back the same bits.
 */
public final class CheckpointFiles implements Checkpoint.Store {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.json");
  private static final String FORMAT = "spark-backprop-checkpoint";

  private final Path dir;
  private final Configuration conf;

  public CheckpointFiles(String dir, Configuration conf) {
    this.dir = new Path(dir);
    this.conf = conf;
  }

  @Override public String location() {
    return dir.toString();
  }

  /**
   * Fails fast, before training: proves that the directory can be created and written (a file is
   * written and removed; a directory that was created for it is removed again).
   *
   * @throws TrainingFailed of kind CHECKPOINT_IO when it cannot
   */
  public void checkWritable() {
    try {
      HadoopFiles.probeWritable(HadoopFiles.fileSystem(dir, conf), dir, ".probe-"
          + java.util.UUID.randomUUID().toString().substring(0, 8));
    } catch (IOException | RuntimeException e) {
      throw new TrainingFailed(TrainingFailed.Kind.CHECKPOINT_IO, "cannot write a checkpoint in "
          + dir + ": " + HadoopFiles.firstLine(e.getMessage()), "");
    }
  }

  /** The file of the checkpoint after iteration t. */
  public static String fileName(int t) {
    return String.format("checkpoint-%08d.json", t);
  }

  @Override public void write(Checkpoint c) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("run", c.run());
    root.put("iteration", c.iteration());
    array(root.putArray("weights"), c.weights());
    ArrayNode st = root.putArray("optimizerState");
    for (double[] s : c.optimizerState()) {
      array(st.addArray(), s);
    }
    ArrayNode h = root.putArray("history");
    for (Iteration it : c.history()) {
      ArrayNode row = h.addArray();
      row.add(it.iteration());
      array(row, new double[] {it.objective(), it.gradientNorm(), it.seconds(),
          it.validationRmse()});
    }
    if (c.early() != null) {
      array(root.putArray("early"), c.early());
    }
    if (c.bestWeights() != null) {
      array(root.putArray("bestWeights"), c.bestWeights());
    }
    try {
      FileSystem fs = HadoopFiles.fileSystem(dir, conf);
      fs.mkdirs(dir);
      Path file = new Path(dir, fileName(c.iteration()));
      Path tmp = new Path(dir, "." + file.getName() + ".tmp");
      HadoopFiles.writeString(fs, tmp, JSON.writeValueAsString(root));
      fs.delete(file, false);
      if (!fs.rename(tmp, file)) {
        throw new IOException("cannot rename " + tmp + " to " + file);
      }
      for (FileStatus f : fs.listStatus(dir)) {
        Matcher m = NAME.matcher(f.getPath().getName());
        if (m.matches() && Integer.parseInt(m.group(1)) < c.iteration()) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new TrainingFailed(TrainingFailed.Kind.CHECKPOINT_IO, "cannot write a checkpoint in "
          + dir + ": " + HadoopFiles.firstLine(e.getMessage()), "");
    }
  }

  @Override public Checkpoint read() {
    Path newest = null;
    int best = -1;
    try {
      FileSystem fs = HadoopFiles.fileSystem(dir, conf);
      if (!fs.exists(dir)) {
        return null;
      }
      for (FileStatus f : fs.listStatus(dir)) {
        Matcher m = NAME.matcher(f.getPath().getName());
        if (m.matches() && Integer.parseInt(m.group(1)) > best) {
          best = Integer.parseInt(m.group(1));
          newest = f.getPath();
        }
      }
      if (newest == null) {
        return null;
      }
      return parse(newest.toString(), HadoopFiles.readString(fs, newest));
    } catch (IOException e) {
      throw new TrainingFailed(TrainingFailed.Kind.CHECKPOINT_IO, "cannot read the checkpoints in "
          + dir + ": " + HadoopFiles.firstLine(e.getMessage()), "");
    }
  }

  static Checkpoint parse(String where, String text) {
    try {
      JsonNode root = JSON.readTree(text);
      if (!FORMAT.equals(root.path("format").asText())) {
        throw new IllegalArgumentException("not a spark-backprop checkpoint");
      }
      double[][] state = new double[root.get("optimizerState").size()][];
      for (int i = 0; i < state.length; i++) {
        state[i] = doubles(root.get("optimizerState").get(i), 0);
      }
      List<Iteration> history = new ArrayList<>();
      for (JsonNode row : root.get("history")) {
        history.add(new Iteration(row.get(0).asInt(), num(row.get(1)), num(row.get(2)),
            num(row.get(3)), num(row.get(4))));
      }
      return new Checkpoint(root.get("run").asText(), root.get("iteration").asInt(),
          doubles(root.get("weights"), 0), state, List.copyOf(history),
          root.has("early") ? doubles(root.get("early"), 0) : null,
          root.has("bestWeights") ? doubles(root.get("bestWeights"), 0) : null);
    } catch (IOException | RuntimeException e) {
      throw new TrainingFailed(TrainingFailed.Kind.CHECKPOINT_IO, where + ": damaged checkpoint: "
          + HadoopFiles.firstLine(e.getMessage()), "delete it, or start without resuming");
    }
  }

  private static void array(ArrayNode a, double[] v) {
    for (double d : v) {
      if (Double.isNaN(d)) {
        a.addNull();
      } else {
        a.add(d);
      }
    }
  }

  private static double num(JsonNode n) {
    return n == null || n.isNull() ? Double.NaN : n.asDouble();
  }

  private static double[] doubles(JsonNode a, int from) {
    double[] v = new double[a.size() - from];
    for (int i = from; i < a.size(); i++) {
      v[i - from] = num(a.get(i));
    }
    return v;
  }
}
