package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.spark.SparkTestSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train's options as Params: switches that mean what they say, defaults per solver, the options
 * L-BFGS refuses, the resume fingerprint of the resolved Params, and the inputs it reads.
 */
class TrainOptionsTest {
  private static final String DIABETES = "data/diabetes.parquet";

  @TempDir
  Path tmp;

  private SavedModel train(String name, String... extra) {
    Path model = tmp.resolve(name);
    List<String> args = new ArrayList<>(List.of("train", "--input", DIABETES, "--hidden", "3",
        "--iterations", "3", "--model", model.toString()));
    args.addAll(List.of(extra));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, r.code(), name + ": " + r.err());
    return SavedModel.read(model);
  }

  private CliRun refused(String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--input", DIABETES,
        "--iterations", "3", "--model", tmp.resolve("refused").toString()));
    args.addAll(List.of(extra));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(2, r.code(), args + ": " + r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertFalse(Files.exists(tmp.resolve("refused")), "no model for a refused run");
    return r;
  }

  @Test
  void standardizationSwitchesMeanWhatTheySay() {
    SavedModel on = train("on", "--standardize-label", "--standardize");
    // Raw diabetes (J_1 about 1e4) diverges at the default step: a small one keeps it learning.
    SavedModel off = train("off", "--no-standardize-label", "--no-standardize", "--lr", "1e-7");
    SavedModel dflt = train("default");
    assertNotEquals(1.0, on.scaling().labelScale(), "--standardize-label standardizes");
    assertEquals(1.0, off.scaling().labelScale(), "--no-standardize-label does not");
    assertEquals(0.0, off.scaling().labelMean());
    assertArrayEquals(new double[10], off.scaling().mean(), "--no-standardize: no feature means");
    assertEquals(on.scaling().labelScale(), dflt.scaling().labelScale(), "the default is on");
    assertTrue(on.scaling().scale()[2] > 1, "bmi's standard deviation is its scale");
  }

  @Test
  void theOptimizersNameIsReadInAnyCaseWithItsOwnDefaultStepSize() {
    JsonNode p = train("adam", "--optimizer", "Adam").training().get("params");
    assertEquals("adam", p.get("solver").asText());
    assertEquals(0.01, p.get("stepSize").asDouble(), "adam's default step size, not gd's");
    assertEquals(0.1, train("gd", "--optimizer", "GD").training().get("params")
        .get("stepSize").asDouble());
  }

  @Test
  void lbfgsRefusesWhatItDoesNotUseAndKeepsTolZero() {
    assertTrue(refused("--optimizer", "lbfgs", "--lr", "0.1").err()
        .contains("--lr is not used by --optimizer l-bfgs"), "--lr");
    CliRun both = refused("--optimizer", "lbfgs", "--checkpoint-dir",
        tmp.resolve("ck").toString(), "--clip-norm", "1");
    assertTrue(both.err().contains("--checkpoint-dir, --clip-norm are not used by --optimizer l-bfgs"),
        both.err());
    JsonNode p = train("lbfgs", "--optimizer", "lbfgs").training().get("params");
    assertEquals(0.0, p.get("tol").asDouble(), "tol 0 stays 0 (off) for L-BFGS");
    assertEquals("l-bfgs", p.get("solver").asText());
  }

  @Test
  void otherCombinationsAreRefusedInTheOptionsWords() {
    assertTrue(refused("--optimizer", "adam", "--momentum", "0.9").err()
        .contains("--momentum and --nesterov are for solvers gd, sgd and local-sgd, not adam"));
    assertTrue(refused("--patience", "3").err().contains("--patience needs validation rows"));
    assertTrue(refused("--resume").err().contains("--resume needs --checkpoint-dir"));
    assertTrue(refused("--iterations", "0").err().contains("--iterations must be >= 1, got 0"));
    assertTrue(refused("--layers", "10,4,2").err().contains("--layers must end in 1"));
  }

  @Test
  void resumeComparesTheResolvedSettingsNotTheirSpelling() {
    String ck = tmp.resolve("ck").toString();
    train("first", "--optimizer", "gd", "--lr=0.05", "--iterations", "4", "--checkpoint-every", "2",
        "--checkpoint-dir", ck);
    CliRun same = CliRun.of("train", "--input", DIABETES, "--hidden", "3",
        "--optimizer", "gd", "--iterations", "6", "--lr", "0.05", "--checkpoint-every", "2",
        "--checkpoint-dir", ck, "--resume", "--model", tmp.resolve("second").toString());
    assertEquals(0, same.code(), same.err());
    assertTrue(same.out().contains("resumed from the checkpoint after iteration 2"), same.out());
    CliRun other = CliRun.of("train", "--input", DIABETES, "--hidden", "3",
        "--optimizer", "gd", "--iterations", "6", "--lr", "0.05", "--l2", "0.01", "--checkpoint-every", "2",
        "--checkpoint-dir", ck, "--resume", "--model", tmp.resolve("third").toString());
    assertEquals(2, other.code(), other.out() + other.err());
    assertTrue(other.err().contains("was --l2=0.0, now --l2=0.01")
        && other.err().contains("--resume"), other.err());
  }

  @Test
  void everyNumericTypeIsAFeatureAndNonNumericColumnsAreRefusedUnlessExcluded() throws IOException {
    StructType s = DataTypes.createStructType(new StructField[] {
        field("b", DataTypes.ByteType), field("name", DataTypes.StringType),
        field("s", DataTypes.ShortType), field("i", DataTypes.IntegerType),
        field("l", DataTypes.LongType), field("f", DataTypes.FloatType),
        field("dec", DataTypes.createDecimalType(10, 3)), field("flag", DataTypes.BooleanType),
        field("label", DataTypes.DoubleType)});
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      int sign = k % 2 == 0 ? 1 : -1;
      rows.add(RowFactory.create((byte) (sign * k), "n" + k, (short) (2 * k), 3 * k,
          (long) (4 * sign * k), 0.5f * k, new BigDecimal("6.125").multiply(BigDecimal.valueOf(k)),
          k % 3 == 0, 7.0 * k));
    }
    String path = tmp.resolve("types.parquet").toString();
    SparkTestSession.get().createDataFrame(rows, s).coalesce(1).write().parquet(path);
    Path model = tmp.resolve("types");
    CliRun no = CliRun.of("train", "--input", path, "--hidden", "2",
        "--iterations", "2", "--model", model.toString());
    assertEquals(2, no.code(), no.err());
    assertTrue(no.err().contains("column 'name' is string, not a number")
        && no.err().contains("--exclude name"), no.err());
    CliRun r = CliRun.of("train", "--input", path, "--exclude", "name",
        "--hidden", "2", "--iterations", "2", "--no-standardize", "--lr", "1e-5", "--model",
        model.toString());
    assertEquals(0, r.code(), r.err());
    SavedModel m = SavedModel.read(model);
    assertEquals(List.of("b", "s", "i", "l", "f", "dec", "flag"), m.features());
  }

  @Test
  void unreadableInputsAreOneLine() throws IOException {
    Path text = tmp.resolve("text.parquet");
    Files.writeString(text, "age,label\n1,2\n");
    CliRun r = SparkTestSession.quietly(() -> CliRun.of("train", "--input",
        text.toString(), "--model", tmp.resolve("m").toString()),
        SparkTestSession.TASK_FAILURE_LOGGERS);
    assertEquals(2, r.code());
    assertTrue(r.err().contains(text.toString()) && r.err().contains("not a Parquet file"),
        r.err());
    // A Parquet file cut in half.
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(RowFactory.create((double) i, (double) i));
    }
    String corrupt = tmp.resolve("corrupt").toString();
    SparkTestSession.get().createDataFrame(rows, DataTypes.createStructType(new StructField[] {
        field("x", DataTypes.DoubleType), field("label", DataTypes.DoubleType)})).coalesce(1)
        .write().parquet(corrupt);
    try (Stream<Path> files = Files.list(Path.of(corrupt))) {
      Path part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst()
          .orElseThrow();
      byte[] bytes = Files.readAllBytes(part);
      Files.write(part, Arrays.copyOf(bytes, bytes.length / 2));
      Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
    }
    CliRun c = SparkTestSession.quietly(() -> CliRun.of("train", "--input",
        corrupt, "--model", tmp.resolve("m").toString()), SparkTestSession.TASK_FAILURE_LOGGERS);
    assertEquals(2, c.code(), c.err());
    assertTrue(c.err().contains(corrupt) && c.err().contains("truncated or damaged"), c.err());
    assertEquals(1, c.err().strip().lines().count(), c.err());
    assertFalse(Files.exists(tmp.resolve("m")));
  }

  @Test
  void invalidRowsInTheValidationTableNameThatTable() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create((double) i, i == 4 ? Double.NaN : 2.0 * i));
    }
    String val = tmp.resolve("val.parquet").toString();
    SparkTestSession.get().createDataFrame(rows, DataTypes.createStructType(new StructField[] {
        field("x", DataTypes.DoubleType), field("label", DataTypes.DoubleType)})).coalesce(1)
        .write().parquet(val);
    List<Row> good = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      good.add(RowFactory.create((double) i, 2.0 * i));
    }
    String input = tmp.resolve("train.parquet").toString();
    SparkTestSession.get().createDataFrame(good, DataTypes.createStructType(new StructField[] {
        field("x", DataTypes.DoubleType), field("label", DataTypes.DoubleType)})).coalesce(1)
        .write().parquet(input);
    CliRun r = CliRun.of("train", "--input", input, "--validation", val,
        "--hidden", "2", "--iterations", "2", "--model", tmp.resolve("v").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("error: " + val + ": 1 of 50 rows")
        && r.err().contains("label: 1") && r.err().contains("--drop-invalid"), r.err());
    CliRun ok = CliRun.of("train", "--input", input, "--validation", val,
        "--hidden", "2", "--iterations", "2", "--drop-invalid", "--model",
        tmp.resolve("v").toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("validation: 19 rows from " + val), ok.out());
  }

  @Test
  void edgeCasesWorkWithWhatTheyNeedToSay() throws IOException {
    Path one = ParquetCorpus.write(tmp.resolve("one.parquet"),
        "message t { required double x; required double label; }",
        List.<Object[]>of(new Object[] {2.0, 5.0}));
    CliRun r = CliRun.of("train", "--input", one.toString(), "--hidden", "2",
        "--iterations", "3", "--model", tmp.resolve("one").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("feature 'x' is constant (2.0) over the 1 training rows: centred,"
        + " not scaled") && r.out().contains("the label 'label' is constant (5.0) over the 1"
        + " training rows: not scaled"), r.out());

    List<Object[]> flat = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      flat.add(new Object[] {(double) i, 7.0});
    }
    Path constant = ParquetCorpus.write(tmp.resolve("glob/part-0.parquet"),
        "message t { required double x; required double label; }", flat);
    ParquetCorpus.write(tmp.resolve("glob/part-1.parquet"),
        "message t { required double x; required double label; }", ParquetCorpus.line(2));
    CliRun c = CliRun.of("train", "--input", constant.toString(), "--hidden",
        "2", "--iterations", "3", "--partitions", "8", "--model", tmp.resolve("c").toString());
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("the label 'label' is constant (7.0)"), c.out());
    assertTrue(c.out().contains("3 rows, 1 features, label 'label', 8 partitions"),
        "more partitions than rows: " + c.out());

    CliRun g = CliRun.of("train", "--input",
        tmp.resolve("glob").toString() + "/part-*.parquet", "--hidden", "2", "--iterations", "2",
        "--model", tmp.resolve("g").toString());
    assertEquals(0, g.code(), g.err());
    assertTrue(g.out().contains("data: 5 rows"), "a glob reads both parts: " + g.out());
  }

  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
