package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train command end to end in local mode, and each bad input. */
class TrainCliTest {
  private static final String DIABETES = Path.of("data/diabetes.parquet").toAbsolutePath().toString();

  @TempDir
  Path tmp;

  @Test
  void trainsOnTheShippedDataAndWritesAModel() throws Exception {
    Path model = tmp.resolve("m");
    CliRun r = CliRun.of("train", "--input", DIABETES, "--hidden", "4", "--iterations", "40", "--lr", "0.05",
        "--standardize-label", "--partitions", "3", "--model", model.toString());
    assertEquals(0, r.code(), "exit code; stderr: " + r.err());
    assertTrue(Files.exists(model.resolve("model.json")), "no model.json");
    SavedModel m = SavedModel.read(model);
    assertEquals(List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"), m.features());
    assertEquals(10, m.network().inputWidth());
    assertEquals(442, m.training().get("rows").asLong());
    assertEquals(40, m.training().get("history").size());
    double first = m.training().get("history").get(0).get("objective").asDouble();
    double last = m.training().get("finalObjective").asDouble();
    assertTrue(last < 0.8 * first, "objective did not fall: " + first + " -> " + last);
    List<String> csv = Files.readAllLines(model.resolve("history.csv"));
    assertEquals(41, csv.size(), "history.csv: header and 40 lines");
    assertTrue(m.training().get("stopReason").asText().contains("maximum of 40"));
    // A narrow network (10-4-1) gets long blocks unless --block-size says otherwise.
    assertTrue(r.out().contains("blocks of up to 1024 rows"), r.out());

    CliRun again = CliRun.of("train", "--input", DIABETES, "--hidden", "4", "--iterations", "2",
        "--model", model.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("already exists") && again.err().contains("--overwrite"),
        again.err());
    assertEquals(m.toJsonString(), SavedModel.read(model).toJsonString(), "model was touched");
  }

  private void assertBad(String expected, String... extra) {
    Path model = tmp.resolve("bad-model");
    List<String> args = new ArrayList<>(List.of("train", "--iterations", "2", "--model",
        model.toString()));
    args.addAll(List.of(extra));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(2, r.code(), "exit code for " + args + "; stderr: " + r.err());
    String line = r.err().strip();
    assertFalse(line.contains("\n"), "error is not one line: " + r.err());
    assertTrue(line.startsWith("error: ") && line.contains(expected),
        "expected an error containing '" + expected + "', got: " + line);
    assertFalse(Files.exists(model), "a model was written despite the error");
  }

  private String parquet(String name, StructType schema, List<Row> rows) {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    String path = tmp.resolve(name).toString();
    df.coalesce(1).write().parquet(path);
    return path;
  }

  private static StructType schema(String... doubleCols) {
    StructType s = new StructType();
    for (String c : doubleCols) {
      s = s.add(c, DataTypes.DoubleType, true);
    }
    return s;
  }

  @Test
  void missingPath() {
    assertBad("no such", "--input", tmp.resolve("nothing.parquet").toString());
  }

  @Test
  void notParquet() throws Exception {
    Path f = tmp.resolve("notes.parquet");
    Files.writeString(f, "this is not parquet\n");
    assertBad("notes.parquet", "--input", f.toString());
  }

  @Test
  void missingLabelListsTheColumns() {
    assertBad("columns: age, sex", "--input", DIABETES, "--label", "progression");
  }

  @Test
  void missingFeature() {
    assertBad("'bmx'", "--input", DIABETES, "--features", "age,bmx");
  }

  @Test
  void layersThatDoNotMatchTheFeatures() {
    assertBad("takes 3 inputs but there are 10 features", "--input", DIABETES, "--layers", "3,4,1");
  }

  @Test
  void nonNumericColumn() {
    StructType s = schema("a", "label").add("city", DataTypes.StringType);
    String p = parquet("strings.parquet", s, List.of(RowFactory.create(1.0, 2.0, "x")));
    assertBad("'city' is string", "--input", p, "--features", "a,city");
  }

  @Test
  void nullsAndNaNsAreNamedAndCounted() {
    String p = parquet("holes.parquet", schema("a", "b", "label"), List.of(
        RowFactory.create(1.0, 2.0, 3.0), RowFactory.create(null, 2.0, 3.0),
        RowFactory.create(1.0, Double.NaN, 3.0), RowFactory.create(1.0, 2.0, Double.POSITIVE_INFINITY),
        RowFactory.create(4.0, 5.0, 6.0)));
    assertBad("a: 1, b: 1, label: 1", "--input", p);
    Path model = tmp.resolve("dropped");
    CliRun r = CliRun.of("train", "--input", p, "--drop-invalid", "--iterations", "3", "--hidden", "2",
        "--model", model.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("3 invalid rows dropped"), r.out());
  }

  @Test
  void zeroRows() {
    String p = parquet("empty.parquet", schema("a", "label"), List.of());
    assertBad("no rows", "--input", p);
  }

  @Test
  void unknownActivationAndBadNumbers() {
    assertBad("--activation must be one of identity, sigmoid, tanh, relu", "--input", DIABETES,
        "--activation", "softplus");
    assertBad("--lr", "--input", DIABETES, "--lr", "fast");
    assertBad("--lr must be > 0, got -1.0", "--input", DIABETES, "--lr", "-1");
    assertBad("Unknown options: '--learning-rate'", "--input", DIABETES, "--learning-rate", "0.1");
  }

  @Test
  void divergenceExitsNonZeroWithoutAModel() {
    Path model = tmp.resolve("diverged");
    CliRun r = CliRun.of("train", "--input", DIABETES, "--hidden", "8", "--optimizer", "gd", "--lr", "1e5",
        "--iterations", "50",
        "--model", model.toString());
    assertTrue(r.code() != 0, "diverging run exited 0");
    assertTrue(r.err().contains("diverged at iteration") && r.err().contains("--lr"), r.err());
    assertFalse(Files.exists(model), "a model was written for a diverged run");
  }
}
