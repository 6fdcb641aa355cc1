package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.spark.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict and evaluate end to end through {@link Main#run}, against independent computations. */
class PredictEvaluateTest {
  static final String DIABETES = "data/diabetes.parquet";
  static final List<String> FEATURES =
      List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  static SparkSession spark;
  static Path model;

  /** A 10-8-4-1 tanh/relu/identity model with seeded weights and a non-trivial scaling. */
  @BeforeAll
  static void setUp() throws IOException {
    spark = SparkTestSession.get();
    Network net = Network.of(new int[] {10, 8, 4, 1},
        new Activation[] {Activation.TANH, Activation.RELU, Activation.IDENTITY});
    double[] mean = new double[10];
    double[] scale = new double[10];
    for (int j = 0; j < 10; j++) {
      mean[j] = 3.0 * j + 1;
      scale[j] = 5.0 + 7.0 * j;
    }
    SavedModel m = new SavedModel(net, net.standardNormalWeights(7), FEATURES, "label",
        new Scaling(mean, scale, 152.1, 77.0), JSON.createObjectNode());
    model = tmp.resolve("model");
    Files.createDirectories(model);
    Files.writeString(model.resolve(SavedModel.FILE), m.toJsonString());
  }

  /**
   * The forward pass written out from model.json alone, with a plain JSON tree and loops (no nn
   * classes): x' = (x - mean) / scale; a_to = f(W[0][to] + sum_from W[from][to] a_from-1);
   * prediction = labelMean + labelScale * output.
   */
  static double independentPrediction(JsonNode m, double[] raw) {
    JsonNode s = m.get("scaling");
    double[] a = new double[raw.length];
    for (int j = 0; j < raw.length; j++) {
      a[j] = (raw[j] - s.get("featureMean").get(j).asDouble())
          / s.get("featureScale").get(j).asDouble();
    }
    JsonNode weights = m.get("weights");
    for (int l = 0; l < weights.size(); l++) {
      JsonNode wl = weights.get(l);
      int out = wl.get(0).size();
      double[] next = new double[out];
      for (int to = 0; to < out; to++) {
        double z = wl.get(0).get(to).asDouble();
        for (int from = 1; from < wl.size(); from++) {
          z += wl.get(from).get(to).asDouble() * a[from - 1];
        }
        next[to] = switch (m.get("activations").get(l).asText()) {
          case "identity" -> z;
          case "relu" -> Math.max(z, 0.0);
          case "tanh" -> Math.tanh(z);
          case "sigmoid" -> 1.0 / (1.0 + Math.exp(-z));
          default -> throw new AssertionError("activation " + m.get("activations").get(l));
        };
      }
      a = next;
    }
    return s.get("labelMean").asDouble() + s.get("labelScale").asDouble() * a[0];
  }

  @Test
  void predictOnShippedDataMatchesIndependentForwardPass() throws IOException {
    String out = tmp.resolve("pred.parquet").toString();
    CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", DIABETES, "--output", out,
        "--block-size", "50");
    assertEquals(0, r.code(), r.err());
    Dataset<Row> in = spark.read().parquet(DIABETES);
    Dataset<Row> got = spark.read().parquet(out);
    List<String> cols = new ArrayList<>(Arrays.asList(in.columns()));
    cols.add("prediction");
    assertEquals(cols, Arrays.asList(got.columns()));
    JsonNode m = JSON.readTree(model.resolve("model.json").toFile());
    List<Row> rows = got.collectAsList();
    assertEquals(442, rows.size());
    // the input's rows in the input's order, values untouched
    List<Row> inRows = in.collectAsList();
    for (int i = 0; i < rows.size(); i++) {
      double[] x = new double[FEATURES.size()];
      for (int j = 0; j < x.length; j++) {
        x[j] = rows.get(i).getDouble(rows.get(i).fieldIndex(FEATURES.get(j)));
        assertEquals(inRows.get(i).getDouble(inRows.get(i).fieldIndex(FEATURES.get(j))), x[j]);
      }
      double want = independentPrediction(m, x);
      double have = rows.get(i).getDouble(rows.get(i).fieldIndex("prediction"));
      assertTrue(Math.abs(have - want) <= 1e-12 * Math.max(1.0, Math.abs(want)),
          "row " + i + ": predict gave " + have + ", the hand forward pass " + want);
    }
    // refuses to overwrite, then does with --overwrite
    CliRun again = CliRun.of("predict", "--model", model.toString(), "--input", DIABETES, "--output", out);
    assertEquals(2, again.code());
    assertTrue(again.err().contains("already exists"), again.err());
    CliRun over = CliRun.of("predict", "--model", model.toString(), "--input", DIABETES, "--output", out,
        "--overwrite", "--prediction-col", "yhat");
    assertEquals(0, over.code(), over.err());
    assertTrue(Arrays.asList(spark.read().parquet(out).columns()).contains("yhat"));
  }

  @Test
  void evaluateMatchesHandComputation() throws IOException {
    // yhat = 1 + 2 x1 - x2 (one identity layer, no scaling)
    Network net = Network.of(new int[] {2, 1}, new Activation[] {Activation.IDENTITY});
    double[] w = new double[net.size()];
    w[net.index(1, 0, 1)] = 1;
    w[net.index(1, 1, 1)] = 2;
    w[net.index(1, 2, 1)] = -1;
    Path lin = tmp.resolve("linear");
    Files.createDirectories(lin);
    Files.writeString(lin.resolve("model.json"), new SavedModel(net, w, List.of("x1", "x2"), "y",
        Scaling.identity(2), JSON.createObjectNode()).toJsonString());
    String data = write("small.parquet", new double[][] {
        {0, 0, 1.5}, {1, 0, 2}, {0, 1, 0}, {2, 1, 5}, {1, 1, 2}}, "x1", "x2", "y");
    // residuals 0.5, -1, 0, 1, 0; mean y = 2.1; sum (y - 2.1)^2 = 13.2
    CliRun r = CliRun.of("evaluate", "--model", lin.toString(), "--input", data, "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = JSON.readTree(r.out());
    assertEquals(5, j.get("rows").asLong());
    assertEquals(Math.sqrt(2.25 / 5), j.get("rmse").asDouble(), 1e-15);
    assertEquals(2.5 / 5, j.get("mae").asDouble(), 1e-15);
    assertEquals(1 - 2.25 / 13.2, j.get("r2").asDouble(), 1e-15);
    CliRun table = CliRun.of("evaluate", "--model", lin.toString(), "--input", data);
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains("RMSE") && table.out().contains("0.670820"), table.out());
  }

  @Test
  void invalidFeaturesAreAnErrorOrDroppedAndCounted() {
    StructType schema = new StructType().add("x1", DataTypes.DoubleType, true)
        .add("x2", DataTypes.DoubleType, true).add("y", DataTypes.DoubleType, true)
        .add("id", DataTypes.StringType, true);
    List<Row> rows = List.of(RowFactory.create(0.0, 0.0, 1.5, "a"),
        RowFactory.create(null, 0.0, 2.0, "b"), RowFactory.create(0.0, Double.NaN, 0.0, "c"),
        RowFactory.create(2.0, 1.0, 5.0, "d"));
    String path = tmp.resolve("dirty.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);
    Path lin = linearModel();
    String out = tmp.resolve("dirty-pred.parquet").toString();
    CliRun bad = CliRun.of("predict", "--model", lin.toString(), "--input", path, "--output", out);
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("2 of 4 rows") && bad.err().contains("x1: 1")
        && bad.err().contains("x2: 1") && bad.err().contains("--drop-invalid"), bad.err());
    assertFalse(Files.exists(Path.of(out)));
    CliRun ok = CliRun.of("predict", "--model", lin.toString(), "--input", path, "--output", out,
        "--drop-invalid");
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("2 rows predicted (2 invalid rows dropped)"), ok.out());
    List<Row> got = spark.read().parquet(out).orderBy("id").collectAsList();
    assertEquals(List.of("a", "d"), got.stream().map(x -> x.getString(3)).toList());
    assertEquals(1.0, got.get(0).getDouble(4));
    assertEquals(4.0, got.get(1).getDouble(4));
    CliRun ev = CliRun.of("evaluate", "--model", lin.toString(), "--input", path);
    assertEquals(2, ev.code());
    assertTrue(ev.err().contains("2 of 4 rows"), ev.err());
    CliRun evDrop = CliRun.of("evaluate", "--model", lin.toString(), "--input", path, "--drop-invalid",
        "--json");
    assertEquals(0, evDrop.code(), evDrop.err());
    assertTrue(evDrop.out().contains("\"rows\":2") && evDrop.out().contains("\"droppedRows\":2"),
        evDrop.out());
  }

  @Test
  void missingOrNonNumericFeatureColumnsAreNamed() {
    Path lin = linearModel();
    String noX2 = tmp.resolve("nox2.parquet").toString();
    spark.read().parquet(DIABETES).select(functions.col("age").as("x1"), functions.col("label")
        .as("y")).write().parquet(noX2);
    String out = tmp.resolve("never.parquet").toString();
    CliRun r = CliRun.of("predict", "--model", lin.toString(), "--input", noX2, "--output", out);
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: ") && r.err().contains("no feature column 'x2'")
        && r.err().contains("(columns: x1, y)"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    String text = tmp.resolve("text.parquet").toString();
    spark.read().parquet(DIABETES).select(functions.col("age").as("x1"),
        functions.col("sex").cast("string").as("x2")).write().parquet(text);
    CliRun t = CliRun.of("predict", "--model", lin.toString(), "--input", text, "--output", out);
    assertEquals(2, t.code());
    assertTrue(t.err().contains("'x2' is string"), t.err());
    CliRun collide = CliRun.of("predict", "--model", model.toString(), "--input", DIABETES, "--output", out,
        "--prediction-col", "bmi");
    assertEquals(2, collide.code());
    assertTrue(collide.err().contains("already has a column 'bmi'"), collide.err());
    CliRun noLabel = CliRun.of("evaluate", "--model", lin.toString(), "--input", noX2, "--label", "z");
    assertEquals(2, noLabel.code());
    assertTrue(noLabel.err().contains("'x2'") && noLabel.err().contains("'z'"), noLabel.err());
    CliRun noInput = CliRun.of("predict", "--model", lin.toString(), "--input", tmp.resolve("nope")
        .toString(), "--output", out);
    assertEquals(2, noInput.code());
    assertTrue(noInput.err().contains("no such file"), noInput.err());
    assertFalse(Files.exists(Path.of(out)));
  }

  @Test
  void damagedModelFilesAreOneLineErrors() throws IOException {
    String good = Files.readString(model.resolve("model.json"));
    ObjectNode root = (ObjectNode) JSON.readTree(good);
    List<String> damaged = new ArrayList<>();
    List<String> expect = new ArrayList<>();
    damaged.add(good.substring(0, good.length() / 2));
    expect.add("not a readable model file");
    damaged.add(root.deepCopy().put("formatVersion", 99).toString());
    expect.add("format version 99");
    ObjectNode acts = root.deepCopy();
    ((ArrayNode) acts.get("activations")).set(1, "swish");
    damaged.add(acts.toString());
    expect.add("activations[1]");
    ObjectNode shape = root.deepCopy();
    ((ArrayNode) shape.get("weights").get(1)).remove(3);
    damaged.add(shape.toString());
    expect.add("weights[1] must have 9 rows");
    ObjectNode layers = root.deepCopy();
    ((ArrayNode) layers.get("layers")).set(1, 7);
    damaged.add(layers.toString());
    expect.add("weights[1] must have 8 rows");
    damaged.add(good.replaceFirst("\"featureScale\" : \\[ [0-9.]+", "\"featureScale\" : [ NaN"));
    expect.add("not a readable model file");
    ObjectNode flat = root.deepCopy();
    ((ArrayNode) flat.get("flatWeights")).set(5, 123.0);
    damaged.add(flat.toString());
    expect.add("flatWeights[5]");
    ObjectNode scale = root.deepCopy();
    ((ArrayNode) scale.get("scaling").get("featureScale")).set(2, 0.0);
    damaged.add(scale.toString());
    expect.add("featureScale[2] must be positive");
    ObjectNode feats = root.deepCopy();
    ((ArrayNode) feats.get("features")).remove(0);
    damaged.add(feats.toString());
    expect.add("\"features\" must list 10");
    ObjectNode huge = root.deepCopy();
    ((ArrayNode) huge.get("layers")).set(1, 2_000_000_000);
    damaged.add(huge.toString());
    expect.add("more than one array holds");
    ObjectNode twice = root.deepCopy();
    ((ArrayNode) twice.get("features")).set(1, "age");
    damaged.add(twice.toString());
    expect.add("names 'age' twice");
    String out = tmp.resolve("never2.parquet").toString();
    for (int i = 0; i < damaged.size(); i++) {
      Path dir = tmp.resolve("damaged" + i);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("model.json"), damaged.get(i));
      CliRun r = CliRun.of("predict", "--model", dir.toString(), "--input", DIABETES, "--output", out);
      assertEquals(2, r.code(), "case " + i + ": " + r.err());
      assertTrue(r.err().contains(expect.get(i)), "case " + i + ": expected '" + expect.get(i)
          + "' in: " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    assertFalse(Files.exists(Path.of(out)));
  }

  static Path linearModel() {
    Path lin = tmp.resolve("linear2");
    if (!Files.exists(lin)) {
      Network net = Network.of(new int[] {2, 1}, new Activation[] {Activation.IDENTITY});
      double[] w = new double[net.size()];
      w[net.index(1, 0, 1)] = 1;
      w[net.index(1, 1, 1)] = 2;
      w[net.index(1, 2, 1)] = -1;
      try {
        Files.createDirectories(lin);
        Files.writeString(lin.resolve("model.json"), new SavedModel(net, w, List.of("x1", "x2"),
            "y", Scaling.identity(2), JSON.createObjectNode()).toJsonString());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return lin;
  }

  static String write(String name, double[][] rows, String... cols) {
    StructType schema = new StructType();
    for (String c : cols) {
      schema = schema.add(c, DataTypes.DoubleType, false);
    }
    List<Row> list = new ArrayList<>();
    for (double[] r : rows) {
      Object[] v = new Object[r.length];
      for (int j = 0; j < r.length; j++) {
        v[j] = r[j];
      }
      list.add(RowFactory.create(v));
    }
    String path = tmp.resolve(name).toString();
    spark.createDataFrame(list, schema).coalesce(1).write().parquet(path);
    return path;
  }
}
