package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.Hdfs;
import io.sparkbackprop.io.HadoopFiles;
import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;
import io.sparkbackprop.spark.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every output through Hadoop's FileSystem, on a real HDFS (MiniDFSCluster on loopback): train
 * reads hdfs://.../train.parquet and saves the model to hdfs://; predict reads that model and
 * writes to hdfs://; the ML API saves and loads there; and a run killed (SIGKILL) mid-way resumes
 * from its checkpoint on HDFS and ends with the uninterrupted run's weights, bit for bit.
 */
@Tag("own-jvm")
class HdfsTest {
  @TempDir
  static Path dir;
  static Hdfs hdfs;
  static FileSystem fs;
  static String data;

  @BeforeAll
  static void start() throws Exception {
    hdfs = Hdfs.start(dir.resolve("hdfs"));
    fs = hdfs.fileSystem();
    hdfs.put(Path.of("data/diabetes.parquet"), "/data/diabetes.parquet");
    data = hdfs.uri() + "/data/diabetes.parquet";
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  private static String read(String path) throws Exception {
    return HadoopFiles.readString(fs, new org.apache.hadoop.fs.Path(path));
  }

  @Test
  void trainPredictAndTheMlApiReadAndWriteHdfs() throws Exception {
    SparkTestSession.get();
    String model = hdfs.uri() + "/models/diabetes";
    CliRun t = CliRun.of("train", "--input", data, "--hidden", "4",
        "--iterations", "15", "--validation-fraction", "0.2", "--model", model);
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("model written to " + model), t.out());
    for (String f : List.of("model.json", "history.csv", "loss.png", "metadata/part-00000")) {
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(model + "/" + f)), f + " on HDFS");
    }
    assertEquals(16, read(model + "/history.csv").lines().count(), "header and 15 iterations");
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path("/models"))) {
      assertFalse(s.getPath().getName().startsWith("."), "a temporary left: " + s.getPath());
    }

    String out = hdfs.uri() + "/out/predictions.parquet";
    CliRun p = CliRun.of("predict", "--model", model, "--input", data,
        "--output", out);
    assertEquals(0, p.code(), p.err());
    assertEquals(442, SparkTestSession.get().read().parquet(out).count());

    MultilayerPerceptronRegressionModel m = MultilayerPerceptronRegressionModel.load(model);
    String copy = hdfs.uri() + "/models/copy";
    m.write().save(copy);
    MultilayerPerceptronRegressionModel back = MultilayerPerceptronRegressionModel.load(copy);
    assertArrayEquals(m.weights(), back.weights(), 0.0, "weights after an HDFS round trip");
    assertEquals(m.summary().stopReason(), back.summary().stopReason());
    m.write().overwrite().save(copy);
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path(copy + "/model.json")));
  }

  /** jobs/train in a process of its own, against this JVM's HDFS. */
  private static Process train(List<String> args, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of("jobs/train").toAbsolutePath().toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("SBP_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("SBP_LOG_DIR", dir.resolve("logs").toString());
    pb.environment().put("SBP_JVM_MEM", "-Xmx1g");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  private static int newestCheckpoint(String ck) throws Exception {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(ck);
    int best = 0;
    FileStatus[] listed;
    try {
      listed = fs.listStatus(p);
    } catch (java.io.FileNotFoundException e) {
      return 0; // not there yet, or the run's write check created and removed it just now
    }
    for (FileStatus s : listed) {
      String n = s.getPath().getName();
      if (n.matches("checkpoint-\\d+\\.json")) {
        best = Math.max(best, Integer.parseInt(n.substring(11, 19)));
      }
    }
    return best;
  }

  @Test
  void aRunKilledMidWayResumesFromItsCheckpointOnHdfsBitForBit() throws Exception {
    List<String> common = List.of("--input", data, "--hidden", "8", "--optimizer", "adam",
        "--iterations", "25", "--checkpoint-every", "5", "--partitions", "3", "--master",
        "local[2]", "--log-every", "1");
    String full = hdfs.uri() + "/resume/full";
    List<String> a = new ArrayList<>(common);
    a.addAll(List.of("--checkpoint-dir", hdfs.uri() + "/resume/ck-full", "--model", full));
    Process p = train(a, dir.resolve("full.log"));
    assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0,
        Files.readString(dir.resolve("full.log")));

    String ck = hdfs.uri() + "/resume/ck";
    String resumed = hdfs.uri() + "/resume/resumed";
    List<String> b = new ArrayList<>(common);
    b.addAll(List.of("--checkpoint-dir", ck, "--model", resumed));
    Process k = train(b, dir.resolve("killed.log"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (newestCheckpoint(ck) < 10 && k.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(k.isAlive(), "the run ended before it could be killed: "
        + Files.readString(dir.resolve("killed.log")));
    k.destroyForcibly();
    k.waitFor(60, TimeUnit.SECONDS);
    // destroyForcibly sends SIGKILL to jobs/train's process, which exec'd the JVM.
    int at = newestCheckpoint(ck);
    assertTrue(at >= 10 && at < 25, "checkpoint after iteration " + at);
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path(resumed)), "no model after the kill");

    b.add("--resume");
    Process r = train(b, dir.resolve("resumed.log"));
    assertTrue(r.waitFor(300, TimeUnit.SECONDS) && r.exitValue() == 0,
        Files.readString(dir.resolve("resumed.log")));
    String log = Files.readString(dir.resolve("resumed.log"), StandardCharsets.UTF_8);
    assertTrue(log.contains("resumed from the checkpoint after iteration "), log);
    assertEquals(flat(read(full + "/model.json")), flat(read(resumed + "/model.json")),
        "the resumed run's weights differ from the uninterrupted one's");
  }

  /** The flatWeights line of a model.json (shortest round-trip decimals: equal text, equal bits). */
  private static String flat(String json) {
    return Arrays.stream(json.split("\n")).filter(l -> l.contains("\"flatWeights\"")).findFirst()
        .orElseThrow();
  }
}
