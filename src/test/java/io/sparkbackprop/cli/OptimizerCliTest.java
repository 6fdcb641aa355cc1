package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.io.CheckpointFiles;
import io.sparkbackprop.optim.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every optimizer from the command line, early stopping, and checkpoint/resume. */
class OptimizerCliTest {
  private static final String DIABETES = Path.of("data/diabetes.parquet").toAbsolutePath().toString();

  @TempDir
  Path tmp;

  private SavedModel train(String name, String... extra) {
    Path model = tmp.resolve(name);
    List<String> args = new ArrayList<>(List.of("train", "--input", DIABETES, "--hidden", "6",
        "--partitions", "2", "--log-every", "1000", "--model", model.toString()));
    args.addAll(List.of(extra));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, r.code(), name + ": " + r.err());
    return SavedModel.read(model);
  }

  private static double first(SavedModel m) {
    return m.training().get("history").get(0).get("objective").asDouble();
  }

  private static double last(SavedModel m) {
    return m.training().get("finalObjective").asDouble();
  }

  @Test
  void everyOptimizerLowersTheObjectiveAndIsSavedWithItsSettings() {
    String[][] runs = {
        {"gd", "--optimizer", "gd", "--lr", "0.1", "--iterations", "30"},
        {"sgd", "--optimizer", "sgd", "--batch-fraction", "0.5", "--lr", "0.05", "--iterations", "30"},
        {"momentum", "--optimizer", "gd", "--momentum", "0.9", "--nesterov", "--lr", "0.02",
            "--iterations", "30"},
        {"adam", "--optimizer", "adam", "--iterations", "30", "--lr-schedule", "invscaling"},
        {"lbfgs", "--optimizer", "lbfgs", "--iterations", "15", "--l2", "0.001"},
    };
    for (String[] run : runs) {
      String[] extra = java.util.Arrays.copyOfRange(run, 1, run.length);
      SavedModel m = train(run[0], extra);
      assertTrue(last(m) < 0.7 * first(m), run[0] + ": objective " + first(m) + " -> " + last(m));
      JsonNode s = m.training().get("params");
      assertEquals(run[2].equals("lbfgs") ? "l-bfgs" : run[2], s.get("solver").asText(), run[0]);
    }
    JsonNode sgd = SavedModel.read(tmp.resolve("sgd")).training().get("params");
    assertEquals(0.5, sgd.get("miniBatchFraction").asDouble());
    JsonNode mom = SavedModel.read(tmp.resolve("momentum")).training().get("params");
    assertEquals(0.9, mom.get("momentum").asDouble());
    assertTrue(mom.get("nesterov").asBoolean());
    JsonNode adam = SavedModel.read(tmp.resolve("adam")).training().get("params");
    assertEquals(0.999, adam.get("beta2").asDouble());
    assertEquals(0.01, adam.get("stepSize").asDouble(), "adam's own default step size");
    assertEquals("invscaling", adam.get("learningRateSchedule").asText());
    assertEquals(0.001, SavedModel.read(tmp.resolve("lbfgs")).training().get("params")
        .get("regParam").asDouble());
  }

  @Test
  void sgdIsRepeatableForASeed() {
    SavedModel a = train("sgd-a", "--optimizer", "sgd", "--iterations", "8");
    SavedModel b = train("sgd-b", "--optimizer", "sgd", "--iterations", "8");
    SavedModel c = train("sgd-c", "--optimizer", "sgd", "--iterations", "8", "--seed", "7",
        "--init", tmp.resolve("sgd-a").toString());
    assertArrayEquals(a.weights(), b.weights(), 0.0, "same seed, same run");
    assertTrue(!java.util.Arrays.equals(a.weights(), c.weights()), "another seed samples others");
  }

  @Test
  void earlyStoppingKeepsTheBestValidationWeights() {
    SavedModel m = train("early", "--optimizer", "lbfgs", "--hidden", "24", "--iterations", "200",
        "--validation-fraction", "0.25", "--patience", "5");
    JsonNode t = m.training();
    assertTrue(t.get("stopReason").asText().startsWith("early stopping"), t.get("stopReason").asText());
    int best = t.get("bestIteration").asInt();
    double bestRmse = Double.POSITIVE_INFINITY;
    int argBest = -1;
    for (JsonNode h : t.get("history")) {
      if (h.has("validationRmse") && h.get("validationRmse").asDouble() < bestRmse) {
        bestRmse = h.get("validationRmse").asDouble();
        argBest = h.get("iteration").asInt();
      }
    }
    assertEquals(argBest, best, "bestIteration is the one with the lowest validation RMSE");
    double saved = t.get("metrics").get("validation").get("rmse").asDouble();
    assertEquals(bestRmse, saved, 1e-9 * bestRmse, "the saved model is the best one");
  }

  @Test
  void resumeFromACheckpointEqualsAnUninterruptedRunBitForBit() throws Exception {
    String[] common = {"--optimizer", "adam", "--checkpoint-every", "5"};
    SavedModel full = train("full", concat(common, "--iterations", "20", "--checkpoint-dir",
        tmp.resolve("ck-full").toString()));
    // A run that "dies" after 10 iterations leaves the checkpoint of iteration 10 ...
    train("part", concat(common, "--iterations", "10", "--checkpoint-dir",
        tmp.resolve("ck").toString()));
    Checkpoint ck = new CheckpointFiles(tmp.resolve("ck").toString(),
        new org.apache.hadoop.conf.Configuration()).read();
    assertEquals(5, ck.iteration(), "the last checkpoint before the stop at 10 is iteration 5");
    // ... and --resume continues from it to 20.
    SavedModel resumed = train("resumed", concat(common, "--iterations", "20", "--checkpoint-dir",
        tmp.resolve("ck").toString(), "--resume"));
    assertArrayEquals(full.weights(), resumed.weights(), 0.0, "resumed run differs");
    assertEquals(20, resumed.training().get("history").size());
    // The last checkpoint before the end (20) is 15's; the older ones are deleted.
    assertTrue(Files.exists(tmp.resolve("ck").resolve(CheckpointFiles.fileName(15))));
    assertFalse(Files.exists(tmp.resolve("ck").resolve(CheckpointFiles.fileName(10))),
        "older checkpoints are deleted");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
