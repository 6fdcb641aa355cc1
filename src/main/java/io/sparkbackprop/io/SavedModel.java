package io.sparkbackprop.io;

import io.sparkbackprop.errors.FileFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A trained model as saved in {@code DIR/model.json}: the network (layers, activations, weights in
 * the textbook form {@code weights[l-1][from][to-1]} and flat), the feature columns in order, the
 * label column, the standardization, and the training record (options, seed, input, rows, versions,
 * time, stop reason, history) as a JSON object.
 *
 * <p>The file is a superset of the weights file of {@link WeightsFile}, so {@code train --init} and
 * {@code gradcheck --weights} accept it.
 */
public record SavedModel(Network network, double[] weights, List<String> features, String label,
    Scaling scaling, ObjectNode training, List<String> outputs) {

  /** One output, named after the label column. */
  public SavedModel(Network network, double[] weights, List<String> features, String label,
      Scaling scaling, ObjectNode training) {
    this(network, weights, features, label, scaling, training, List.of(label));
  }

  public static final String FORMAT = "spark-backprop-model";
  public static final int FORMAT_VERSION = 1;
  public static final String FILE = "model.json";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The project's version, from the build. */
  public static String projectVersion() {
    try (InputStream in = SavedModel.class.getResourceAsStream("/spark-backprop.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The JSON document of this model. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", FORMAT_VERSION);
    root.put("weightLayout", "weights[l-1][from][to-1] = W[l][from][to]; from = 0 is the bias;"
        + " flatWeights[offset(l) + (to-1)*(in+1) + from] holds the same numbers");
    ObjectNode w = WeightsFile.toJson(network, weights);
    root.setAll(w);
    ArrayNode flat = root.putArray("flatWeights");
    for (double v : weights) {
      flat.add(v);
    }
    ArrayNode f = root.putArray("features");
    features.forEach(f::add);
    root.put("label", label);
    if (network.outputWidth() > 1) {
      ArrayNode o = root.putArray("outputs");
      outputs.forEach(o::add);
    }
    ObjectNode s = root.putObject("scaling");
    s.put("formula", "x' = (x - featureMean) / featureScale; prediction = labelMean + labelScale * output");
    ArrayNode mean = s.putArray("featureMean");
    ArrayNode scale = s.putArray("featureScale");
    for (int j = 0; j < features.size(); j++) {
      mean.add(scaling.mean()[j]);
      scale.add(scaling.scale()[j]);
    }
    s.put("labelMean", scaling.labelMean());
    s.put("labelScale", scaling.labelScale());
    if (scaling.outputs() > 1) {
      ArrayNode lm = s.putArray("labelMeans");
      ArrayNode ls = s.putArray("labelScales");
      for (int k = 0; k < scaling.outputs(); k++) {
        lm.add(scaling.labelMeans()[k]);
        ls.add(scaling.labelScales()[k]);
      }
    }
    root.set("training", training);
    return root;
  }

  /** Reads and validates a model directory or model.json of the local disk ({@link ModelDir}). */
  public static SavedModel read(Path dirOrFile) {
    try {
      return ModelDir.read(HadoopFiles.local(new org.apache.hadoop.conf.Configuration()),
          new org.apache.hadoop.fs.Path(dirOrFile.toAbsolutePath().toString())).model();
    } catch (IOException e) {
      throw new FileFormatException(dirOrFile + ": cannot read: " + e.getMessage());
    }
  }

  /**
   * Parses and validates the text of a model.json.
   *
   * @param where the file's name, for messages
   */
  public static SavedModel parse(String where, String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      throw new FileFormatException(where + ": not a readable model file: "
          + HadoopFiles.firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new FileFormatException(where + ": not a spark-backprop model (\"format\" is not \"" + FORMAT + "\")");
    }
    int version = root.path("formatVersion").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new FileFormatException(where + ": model format version " + root.path("formatVersion")
          + " is not supported (this build reads " + FORMAT_VERSION + ")");
    }
    WeightsFile.Loaded lw = WeightsFile.parse(where, root);
    Network net = lw.network();
    checkFlatWeights(where, root.get("flatWeights"), lw);
    List<String> features = features(where, root.get("features"), net.inputWidth());
    JsonNode label = root.get("label");
    if (label == null || !label.isTextual()) {
      throw new FileFormatException(where + ": \"label\" must be a column name");
    }
    int k = net.outputWidth();
    Scaling scaling = readScaling(where, root.get("scaling"), features.size(), k);
    List<String> outputs = outputs(where, root.get("outputs"), k, label.asText());
    JsonNode training = root.get("training");
    return new SavedModel(net, lw.weights(), List.copyOf(features), label.asText(), scaling,
        training instanceof ObjectNode t ? t : JSON.createObjectNode(), List.copyOf(outputs));
  }

  /** "flatWeights", when present, must equal "weights" value for value. */
  private static void checkFlatWeights(String where, JsonNode flat, WeightsFile.Loaded lw) {
    if (flat == null) {
      return;
    }
    Network net = lw.network();
    if (!flat.isArray() || flat.size() != net.size()) {
      throw new FileFormatException(where + ": \"flatWeights\" must have " + net.size() + " values");
    }
    for (int i = 0; i < net.size(); i++) {
      if (flat.get(i).asDouble() != lw.weights()[i] || !flat.get(i).isNumber()) {
        throw new FileFormatException(where + ": flatWeights[" + i + "] = " + flat.get(i)
            + " disagrees with " + net.name(i) + " = " + lw.weights()[i] + " in \"weights\"");
      }
    }
  }

  /** "features": d distinct column names, one per network input. */
  private static List<String> features(String where, JsonNode f, int d) {
    if (f == null || !f.isArray() || f.size() != d) {
      throw new FileFormatException(where + ": \"features\" must list " + d
          + " column names, one per network input");
    }
    List<String> features = new ArrayList<>();
    for (JsonNode n : f) {
      if (!n.isTextual() || n.asText().isEmpty()) {
        throw new FileFormatException(where + ": \"features\" must be column names, got " + n);
      }
      if (features.contains(n.asText())) {
        throw new FileFormatException(where + ": \"features\" names '" + n.asText() + "' twice");
      }
      features.add(n.asText());
    }
    return features;
  }

  /** "outputs": k distinct names; a one-output model may leave it out (then: the label). */
  private static List<String> outputs(String where, JsonNode o, int k, String label) {
    List<String> outputs = new ArrayList<>();
    if (k == 1 && o == null) {
      outputs.add(label);
      return outputs;
    }
    if (o == null || !o.isArray() || o.size() != k) {
      throw new FileFormatException(where + ": \"outputs\" must list " + k
          + " names, one per network output");
    }
    for (JsonNode n : o) {
      if (!n.isTextual() || n.asText().isEmpty() || outputs.contains(n.asText())) {
        throw new FileFormatException(where + ": \"outputs\" must be distinct names, got " + n);
      }
      outputs.add(n.asText());
    }
    return outputs;
  }

  private static Scaling readScaling(String where, JsonNode s, int d, int k) {
    if (s == null || s.isNull()) {
      return Scaling.identity(d, k);
    }
    double[] mean = finiteArray(where, s, "featureMean", d);
    double[] scale = finiteArray(where, s, "featureScale", d);
    for (int j = 0; j < d; j++) {
      if (!(scale[j] > 0)) {
        throw new FileFormatException(where + ": scaling.featureScale[" + j + "] must be positive, got "
            + scale[j]);
      }
    }
    if (k > 1) {
      double[] lm = finiteArray(where, s, "labelMeans", k);
      double[] ls = finiteArray(where, s, "labelScales", k);
      for (int c = 0; c < k; c++) {
        if (!(ls[c] > 0)) {
          throw new FileFormatException(where + ": scaling.labelScales[" + c
              + "] must be positive, got " + ls[c]);
        }
      }
      return new Scaling(mean, scale, lm, ls);
    }
    double lm = finite(where, s, "labelMean");
    double ls = finite(where, s, "labelScale");
    if (!(ls > 0)) {
      throw new FileFormatException(where + ": scaling.labelScale must be positive, got " + ls);
    }
    return new Scaling(mean, scale, lm, ls);
  }

  private static double[] finiteArray(String where, JsonNode s, String name, int d) {
    JsonNode a = s.get(name);
    if (a == null || !a.isArray() || a.size() != d) {
      throw new FileFormatException(where + ": scaling." + name + " must have " + d + " numbers");
    }
    double[] out = new double[d];
    for (int j = 0; j < d; j++) {
      JsonNode v = a.get(j);
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw new FileFormatException(where + ": scaling." + name + "[" + j + "] must be a finite number, got " + v);
      }
      out[j] = v.asDouble();
    }
    return out;
  }

  private static double finite(String where, JsonNode s, String name) {
    JsonNode v = s.get(name);
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new FileFormatException(where + ": scaling." + name + " must be a finite number, got " + v);
    }
    return v.asDouble();
  }

  /** Pretty-printed JSON text. */
  public String toJsonString() {
    try {
      return JSON.writeValueAsString(toJson());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
