package io.sparkbackprop.io;

import io.sparkbackprop.errors.FileFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The weights file of {@code gradcheck --weights} and {@code train --init}:
 * <pre>
 * {"layers": [2, 2, 2, 1],
 *  "activations": ["sigmoid", "sigmoid", "sigmoid"],
 *  "weights": [ [[b1, b2], [w11, w12], [w21, w22]],  ...one array per layer... ]}
 * </pre>
 * {@code weights[l][from][to]} is 0-based in the file: l = 0 is the first layer, from = 0 is the
 * BIAS row and from = 1..in the inputs, to = 0..out-1 the units. So the file's
 * {@code weights[l-1][from][to-1]} is the textbook's W[l][from][to].
 */
public final class WeightsFile {
  /** A network and its flat weights. */
  public record Loaded(Network network, double[] weights) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private WeightsFile() {}

  public static Loaded read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot read weights file: " + HadoopFiles.firstLine(e.getMessage()));
    }
    return parse(file.toString(), root);
  }

  /** Reads the layers, activations and weights of a JSON object in the format above. */
  public static Loaded parse(String where, JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new FileFormatException(where + ": expected a JSON object with layers, activations, weights");
    }
    int[] widths = widths(where, root.get("layers"));
    Network net = Network.of(widths, activations(where, root.get("activations"), widths.length - 1));
    JsonNode w = root.get("weights");
    if (w == null || !w.isArray()) {
      throw new FileFormatException(where + ": \"weights\" must be an array of " + net.depth() + " layers");
    }
    if (w.size() != net.depth()) {
      throw new FileFormatException(where + ": \"weights\" has " + w.size() + " layers, layers "
          + java.util.Arrays.toString(widths) + " need " + net.depth());
    }
    // Every shape first, so that a tampered "layers" is reported before anything is allocated.
    for (int l = 1; l <= net.depth(); l++) {
      checkLayerRows(where, net, l, w.get(l - 1));
    }
    double[] flat = new double[net.size()];
    for (int l = 1; l <= net.depth(); l++) {
      readLayer(where, net, l, w.get(l - 1), flat);
    }
    return new Loaded(net, flat);
  }

  /** "layers": at least 2 positive widths whose weights fit one array. */
  private static int[] widths(String where, JsonNode layers) {
    if (layers == null || !layers.isArray() || layers.size() < 2) {
      throw new FileFormatException(where + ": \"layers\" must be an array of at least 2 widths");
    }
    int[] widths = new int[layers.size()];
    for (int i = 0; i < widths.length; i++) {
      JsonNode v = layers.get(i);
      if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
        throw new FileFormatException(where + ": layers[" + i + "] must be a positive integer, got " + v);
      }
      widths[i] = v.asInt();
    }
    long total = 0;
    for (int i = 1; i < widths.length; i++) {
      total += (widths[i - 1] + 1L) * widths[i];
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new FileFormatException(where + ": layers " + java.util.Arrays.toString(widths) + " need "
          + total + " weights, more than one array holds");
    }
    return widths;
  }

  /** "activations": one name per layer. */
  private static Activation[] activations(String where, JsonNode acts, int layers) {
    if (acts == null || !acts.isArray() || acts.size() != layers) {
      throw new FileFormatException(where + ": \"activations\" must list " + layers
          + " names, one per layer");
    }
    Activation[] a = new Activation[acts.size()];
    for (int i = 0; i < a.length; i++) {
      try {
        a[i] = Activation.parse(acts.get(i).asText());
      } catch (IllegalArgumentException e) {
        throw new FileFormatException(where + ": activations[" + i + "]: " + e.getMessage());
      }
    }
    return a;
  }

  /** weights[l-1] has one row per input of layer l and the bias. */
  private static void checkLayerRows(String where, Network net, int l, JsonNode lw) {
    int in = net.layer(l).in();
    if (!lw.isArray() || lw.size() != in + 1) {
      throw new FileFormatException(where + ": weights[" + (l - 1) + "] must have " + (in + 1)
          + " rows (bias + " + in + " inputs), got " + (lw.isArray() ? lw.size() : lw.getNodeType()));
    }
  }

  /** weights[l-1][from][to-1] into flat's W[l][from][to], each a finite number. */
  private static void readLayer(String where, Network net, int l, JsonNode lw, double[] flat) {
    int in = net.layer(l).in();
    int out = net.layer(l).out();
    for (int from = 0; from <= in; from++) {
      JsonNode row = lw.get(from);
      if (!row.isArray() || row.size() != out) {
        throw new FileFormatException(where + ": weights[" + (l - 1) + "][" + from + "] must have "
            + out + " values, got " + (row.isArray() ? row.size() : row.getNodeType()));
      }
      for (int to = 1; to <= out; to++) {
        JsonNode v = row.get(to - 1);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
          throw new FileFormatException(where + ": weights[" + (l - 1) + "][" + from + "][" + (to - 1)
              + "] must be a finite number, got " + v);
        }
        flat[net.index(l, from, to)] = v.asDouble();
      }
    }
  }

  /** The JSON object for a network and its weights, in the format above. */
  public static ObjectNode toJson(Network net, double[] flat) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode layers = root.putArray("layers");
    for (int width : net.widths()) {
      layers.add(width);
    }
    ArrayNode acts = root.putArray("activations");
    for (int l = 1; l <= net.depth(); l++) {
      acts.add(net.layer(l).activation().label());
    }
    ArrayNode w = root.putArray("weights");
    double[][][] t = net.toTextbook(flat);
    for (double[][] layer : t) {
      ArrayNode lw = w.addArray();
      for (double[] row : layer) {
        ArrayNode r = lw.addArray();
        for (double v : row) {
          r.add(v);
        }
      }
    }
    return root;
  }

}
