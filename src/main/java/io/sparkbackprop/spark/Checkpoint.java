package io.sparkbackprop.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything needed to continue a run exactly where it was: written atomically (temporary file,
 * then rename) to {@code DIR/checkpoint.json} after iteration {@code iteration}. Doubles are written
 * in Java's shortest round-trip form, so reading gives back the same bits. The mini-batch sampler
 * has no state to save: its streams are derived from (seed, iteration, partition).
 *
 * @param run a fingerprint of the network and every training option; resuming checks it matches
 * @param iteration iterations completed
 * @param weights weights after that iteration
 * @param optimizerState the update rule's {@code state()}
 * @param history the history so far
 * @param early early stopping's state: best metric, best iteration, evaluations without
 *     improvement (null without early stopping)
 * @param bestWeights early stopping's best weights (null when none)
 */
public record Checkpoint(String run, int iteration, double[] weights, double[][] optimizerState,
    List<Trainer.Iteration> history, double[] early, double[] bestWeights) {

  public static final String FILE = "checkpoint.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public void write(Path dir) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "spark-backprop-checkpoint");
    root.put("run", run);
    root.put("iteration", iteration);
    array(root.putArray("weights"), weights);
    ArrayNode st = root.putArray("optimizerState");
    for (double[] s : optimizerState) {
      array(st.addArray(), s);
    }
    ArrayNode h = root.putArray("history");
    for (Trainer.Iteration it : history) {
      ArrayNode row = h.addArray();
      row.add(it.iteration());
      array(row, new double[] {it.objective(), it.gradientNorm(), it.seconds(), it.validationRmse()});
    }
    if (early != null) {
      array(root.putArray("early"), early);
    }
    if (bestWeights != null) {
      array(root.putArray("bestWeights"), bestWeights);
    }
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(FILE + ".tmp");
      JSON.writeValue(tmp.toFile(), root);
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Reads {@code DIR/checkpoint.json}; null when there is none. */
  public static Checkpoint read(Path dir) {
    Path f = dir.resolve(FILE);
    if (!Files.exists(f)) {
      return null;
    }
    try {
      JsonNode root = JSON.readTree(f.toFile());
      if (!"spark-backprop-checkpoint".equals(root.path("format").asText())) {
        throw new UsageException(f + ": not a spark-backprop checkpoint");
      }
      double[][] state = new double[root.get("optimizerState").size()][];
      for (int i = 0; i < state.length; i++) {
        state[i] = doubles(root.get("optimizerState").get(i), 0);
      }
      List<Trainer.Iteration> history = new ArrayList<>();
      for (JsonNode row : root.get("history")) {
        history.add(new Trainer.Iteration(row.get(0).asInt(), num(row.get(1)), num(row.get(2)),
            num(row.get(3)), num(row.get(4))));
      }
      return new Checkpoint(root.get("run").asText(), root.get("iteration").asInt(),
          doubles(root.get("weights"), 0), state, List.copyOf(history),
          root.has("early") ? doubles(root.get("early"), 0) : null,
          root.has("bestWeights") ? doubles(root.get("bestWeights"), 0) : null);
    } catch (IOException | RuntimeException e) {
      if (e instanceof UsageException u) {
        throw u;
      }
      throw new UsageException(f + ": damaged checkpoint: " + e.getMessage());
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
