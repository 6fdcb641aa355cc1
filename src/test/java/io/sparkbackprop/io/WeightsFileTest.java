package io.sparkbackprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.errors.FileFormatException;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Network NET = Network.of(new int[] {2, 3, 1},
      new Activation[] {Activation.RELU, Activation.SIGMOID});

  @TempDir
  Path dir;

  private static double[] awkwardWeights() {
    // Values whose shortest decimal forms are long, plus a tiny and a huge one.
    Random rnd = new Random(11);
    double[] w = new double[NET.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextGaussian() / 3.0;
    }
    w[0] = 1e-300;
    w[1] = -1.2345678901234567e200;
    return w;
  }

  @Test
  void toJsonThenParseIsTheIdentity() throws Exception {
    double[] w = awkwardWeights();
    JsonNode json = WeightsFile.toJson(NET, w);
    assertEquals("[2,3,1]", json.get("layers").toString(), "layers in the JSON");
    assertEquals("[\"relu\",\"sigmoid\"]", json.get("activations").toString(),
        "activations in the JSON");
    // weights[l-1][from][to-1] == W[l][from][to]: spot-check the documented file layout.
    assertEquals(w[NET.index(1, 2, 3)], json.get("weights").get(0).get(2).get(2).asDouble(), 0.0,
        "file weights[0][2][2] is W[1][2][3]");
    assertEquals(w[NET.index(2, 0, 1)], json.get("weights").get(1).get(0).get(0).asDouble(), 0.0,
        "file weights[1][0][0] is W[2][0][1], the bias");

    WeightsFile.Loaded direct = WeightsFile.parse("mem", json);
    assertEquals(NET, direct.network(), "network after toJson -> parse");
    assertBitwise(w, direct.weights(), "weights after toJson -> parse");

    Path file = dir.resolve("w.json");
    Files.writeString(file, JSON.writeValueAsString(json));
    WeightsFile.Loaded read = WeightsFile.read(file);
    assertEquals(NET, read.network(), "network after toJson -> text -> read");
    assertBitwise(w, read.weights(), "weights after toJson -> text -> read");
  }

  @Test
  void wrongShapesAreNamed() {
    assertUsage("w.json: weights[0] must have 3 rows (bias + 2 inputs), got 2",
        "{\"layers\":[2,3,1],\"activations\":[\"relu\",\"sigmoid\"],"
            + "\"weights\":[[[0,0,0],[0,0,0]],[[0],[0],[0],[0]]]}");
    assertUsage("w.json: weights[1][2] must have 1 values, got 2",
        "{\"layers\":[2,3,1],\"activations\":[\"relu\",\"sigmoid\"],"
            + "\"weights\":[[[0,0,0],[0,0,0],[0,0,0]],[[0],[0],[0,1],[0]]]}");
    assertUsage("w.json: \"weights\" has 1 layers, layers [2, 3, 1] need 2",
        "{\"layers\":[2,3,1],\"activations\":[\"relu\",\"sigmoid\"],"
            + "\"weights\":[[[0,0,0],[0,0,0],[0,0,0]]]}");
    assertUsage("w.json: \"activations\" must list 2 names, one per layer",
        "{\"layers\":[2,3,1],\"activations\":[\"relu\"],\"weights\":[]}");
    assertUsage("w.json: layers[1] must be a positive integer, got 0",
        "{\"layers\":[2,0,1],\"activations\":[\"relu\",\"sigmoid\"],\"weights\":[]}");
    assertUsage("w.json: \"layers\" must be an array of at least 2 widths",
        "{\"layers\":[2],\"activations\":[],\"weights\":[]}");
    assertUsage("w.json: expected a JSON object with layers, activations, weights", "[1,2]");
  }

  @Test
  void unknownActivationIsNamed() {
    assertUsage("w.json: activations[1]: unknown activation 'softmax' "
            + "(known: identity, sigmoid, tanh, relu)",
        "{\"layers\":[2,3,1],\"activations\":[\"relu\",\"softmax\"],"
            + "\"weights\":[[[0,0,0],[0,0,0],[0,0,0]],[[0],[0],[0],[0]]]}");
  }

  @Test
  void nonNumericWeightsAreNamed() {
    assertUsage("w.json: weights[0][1][2] must be a finite number, got \"abc\"",
        "{\"layers\":[2,3,1],\"activations\":[\"relu\",\"sigmoid\"],"
            + "\"weights\":[[[0,0,0],[0,0,\"abc\"],[0,0,0]],[[0],[0],[0],[0]]]}");
    assertUsage("w.json: weights[1][3][0] must be a finite number, got null",
        "{\"layers\":[2,3,1],\"activations\":[\"relu\",\"sigmoid\"],"
            + "\"weights\":[[[0,0,0],[0,0,0],[0,0,0]],[[0],[0],[0],[null]]]}");
  }

  @Test
  void unreadableFilesAreOneLineUsageErrors() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"layers\": [2, 3,");
    FileFormatException e = assertThrows(FileFormatException.class, () -> WeightsFile.read(bad),
        "malformed JSON must be a FileFormatException");
    assertTrue(e.getMessage().startsWith(bad + ": cannot read weights file: "),
        () -> "expected '" + bad + ": cannot read weights file: ...', got '" + e.getMessage() + "'");
    assertTrue(!e.getMessage().contains("\n"), () -> "expected one line, got " + e.getMessage());

    Path missing = dir.resolve("missing.json");
    FileFormatException m = assertThrows(FileFormatException.class, () -> WeightsFile.read(missing),
        "a missing file must be a FileFormatException");
    assertTrue(m.getMessage().startsWith(missing + ": cannot read weights file"),
        () -> "expected '" + missing + ": cannot read weights file...', got '" + m.getMessage() + "'");
  }

  private static void assertUsage(String expected, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("test JSON does not parse: " + json, e);
    }
    FileFormatException e = assertThrows(FileFormatException.class, () -> WeightsFile.parse("w.json", root),
        () -> "expected FileFormatException '" + expected + "' for " + json);
    assertEquals(expected, e.getMessage(), "message for " + json);
  }

  private static void assertBitwise(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
        throw new AssertionError(what + ": " + NET.name(i) + " expected " + expected[i] + ", got "
            + actual[i] + " (all expected " + Arrays.toString(expected) + ")");
      }
    }
  }
}
