package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --weight} on train and evaluate, through {@link Main#run}. */
class WeightCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private static StructType schema(String... cols) {
    StructType s = new StructType();
    for (String c : cols) {
      s = s.add(c, DataTypes.DoubleType, true);
    }
    return s;
  }

  private String parquet(String name, StructType schema, List<Row> rows) {
    String path = tmp.resolve(name).toString();
    SparkTestSession.get().createDataFrame(rows, schema).coalesce(1).write().parquet(path);
    return path;
  }

  /** 50 rows of x1, x2, y = x1 - 2 x2 + 1, w = i mod 3 (a weight at row 7 replaced by bad). */
  private String table(String name, Double bad) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      double x1 = i % 7;
      double x2 = (i * 3) % 11 / 10.0;
      Double w = i == 7 ? bad : Double.valueOf(i % 3);
      rows.add(RowFactory.create(x1, x2, x1 - 2 * x2 + 1, w));
    }
    return parquet(name, schema("x1", "x2", "y", "w"), rows);
  }

  @Test
  void weightTrainsWithoutTheWeightAsAFeatureAndEvaluates() throws Exception {
    String data = table("t.parquet", 1.0);
    Path model = tmp.resolve("m");
    CliRun r = CliRun.of("train", "--input", data, "--label", "y", "--weight",
        "w", "--hidden", "3", "--optimizer", "gd", "--iterations", "5", "--model",
        model.toString());
    assertEquals(0, r.code(), "exit code; stderr: " + r.err());
    SavedModel m = SavedModel.read(model);
    assertEquals(List.of("x1", "x2"), m.features(), "the weight column is not a feature");
    // rows of weight 0 (i mod 3 == 0, 17 of 50; row 7 has weight 1) are left out of training
    assertEquals(33, m.training().get("rows").asLong(), "training rows");
    assertTrue(m.toJsonString().contains("\"weightCol\""), "model.json records the weight column");

    CliRun plain = CliRun.of("evaluate", "--model", model.toString(), "--input",
        data, "--json");
    CliRun weighted = CliRun.of("evaluate", "--model", model.toString(),
        "--input", data, "--weight", "w", "--json");
    assertEquals(0, weighted.code(), weighted.err());
    JsonNode p = JSON.readTree(plain.out());
    JsonNode w = JSON.readTree(weighted.out());
    assertEquals("w", w.get("weight").asText());
    assertEquals(50, w.get("rows").asLong(), "every row is evaluated (weight 0 adds nothing)");
    assertTrue(p.get("rmse").asDouble() != w.get("rmse").asDouble(),
        "weighted and unweighted RMSE are the same number: " + p + " " + w);
  }

  @Test
  void weightedEvaluateMatchesHandComputation() throws Exception {
    // yhat = 1 + 2 x1 - x2 (one identity layer, no scaling)
    Network net = Network.of(new int[] {2, 1}, new Activation[] {Activation.IDENTITY});
    double[] wts = new double[net.size()];
    wts[net.index(1, 0, 1)] = 1;
    wts[net.index(1, 1, 1)] = 2;
    wts[net.index(1, 2, 1)] = -1;
    Path lin = tmp.resolve("linear");
    Files.createDirectories(lin);
    Files.writeString(lin.resolve("model.json"), new SavedModel(net, wts, List.of("x1", "x2"),
        "y", Scaling.identity(2), JSON.createObjectNode()).toJsonString());
    double[][] v = {{0, 0, 1.5, 2}, {1, 0, 2, 1}, {0, 1, 0, 0}, {2, 1, 5, 1}, {1, 1, 2, 3}};
    List<Row> rows = new ArrayList<>();
    for (double[] r : v) {
      rows.add(RowFactory.create(r[0], r[1], r[2], r[3]));
    }
    String data = parquet("small.parquet", schema("x1", "x2", "y", "w"), rows);
    CliRun r = CliRun.of("evaluate", "--model", lin.toString(), "--input", data,
        "--weight", "w", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = JSON.readTree(r.out());
    // residuals 0.5, -1, 0, 1, 0 with weights 2, 1, 0, 1, 3: W = 7, S = sum w^2 = 15,
    // SSE = 2 * 0.25 + 1 + 1 = 2.5, SAE = 1 + 1 + 1 = 3; weighted mean y = 16 / 7,
    // M2 = sum w (y - 16/7)^2 = 2 (1.5)^2 + 2^2 + 5^2 + 3 (2)^2 - 16^2 / 7 = 45.5 - 256 / 7;
    // Spark's SStot = M2 (W - 1) / (W - S / W).
    double m2 = 45.5 - 256.0 / 7;
    double ssTot = m2 * 6 / (7 - 15.0 / 7);
    assertEquals(Math.sqrt(2.5 / 7), j.get("rmse").asDouble(), 1e-15);
    assertEquals(3.0 / 7, j.get("mae").asDouble(), 1e-15);
    assertEquals(1 - 2.5 / ssTot, j.get("r2").asDouble(), 1e-14);
  }

  @Test
  void aNegativeWeightIsRefusedInOneLineAndNothingIsWritten() {
    for (Double bad : new Double[] {-1.0, null}) {
      String name = bad == null ? "null" : "negative";
      String data = table(name + ".parquet", bad);
      Path model = tmp.resolve("bad-model-" + name);
      CliRun r = CliRun.of("train", "--input", data, "--label", "y",
          "--weight", "w", "--hidden", "3", "--iterations", "2", "--model", model.toString());
      assertEquals(2, r.code(), "exit code; stderr: " + r.err());
      String line = r.err().strip();
      assertFalse(line.contains("\n"), "error is not one line: " + r.err());
      assertTrue(line.startsWith("error: ") && line.contains("w: 1") && line.contains("row 7")
          && line.contains("w = " + bad), line);
      assertFalse(Files.exists(model), "a model was written despite the error");
      CliRun skip = CliRun.of("train", "--input", data, "--label", "y",
          "--weight", "w", "--hidden", "3", "--iterations", "2", "--drop-invalid", "--model",
          tmp.resolve("skipped-" + name).toString());
      assertEquals(0, skip.code(), "with --drop-invalid; stderr: " + skip.err());
    }
  }

  @Test
  void aWeightColumnThatIsNotThereIsAUsageError() {
    String data = table("t.parquet", 1.0);
    Path model = tmp.resolve("m");
    CliRun r = CliRun.of("train", "--input", data, "--label", "y", "--weight",
        "weight", "--hidden", "3", "--iterations", "2", "--model", model.toString());
    assertEquals(2, r.code(), "exit code; stderr: " + r.err());
    assertTrue(r.err().contains("weight"), r.err());
    assertFalse(Files.exists(model), "a model was written despite the error");
  }
}
