package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands say: each option's help describes what it does for that command (not another
 * command's option of the same name), and predict and evaluate say they start Spark before the
 * tens of seconds that takes.
 */
class CommandHelpTest {
  @TempDir
  Path tmp;

  /** The help of {@code option} in {@code command --help}: its line and continuation lines. */
  static String optionHelp(String command, String option) {
    CliRun r = CliRun.of(command, "--help");
    assertEquals(0, r.code(), command + " --help: " + r.err());
    List<String> lines = r.out().lines().toList();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      if (t.startsWith(option + "=") || t.startsWith(option + " ") || t.equals(option)) {
        sb.append(t);
        for (int j = i + 1; j < lines.size() && !lines.get(j).strip().startsWith("-")
            && !lines.get(j).isBlank(); j++) {
          sb.append(' ').append(lines.get(j).strip());
        }
        return sb.toString().replaceAll("\\s+", " ");
      }
    }
    throw new AssertionError("no " + option + " in " + command + " --help:\n" + r.out());
  }

  @Test
  void gradcheckSeedSaysItSeedsTheStandardNormalWeights() {
    String seed = optionHelp("gradcheck", "--seed");
    assertTrue(seed.contains("standard-normal weights"), seed);
    assertFalse(seed.contains("mini-batch"), "train's text in gradcheck's --seed: " + seed);
  }

  @Test
  void gradcheckPrecisionSaysWhatItCompares() {
    String precision = optionHelp("gradcheck", "--precision");
    assertTrue(precision.contains("finite differences")
        && precision.contains("against the double kernel"), precision);
    assertFalse(precision.contains("cached training blocks"),
        "train's text in gradcheck's --precision: " + precision);
  }

  @Test
  void generateSeedSaysItSeedsTheRows() {
    String seed = optionHelp("generate", "--seed");
    assertTrue(seed.contains("row i depends only on"), seed);
    assertFalse(seed.contains("initial weights"), "train's text in generate's --seed: " + seed);
  }

  /** train's options that map to a Param keep the Param's doc; --layers is not required. */
  @Test
  void trainKeepsTheParamDocsAndLayersIsNotRequired() {
    String seed = optionHelp("train", "--seed");
    assertTrue(seed.contains("initial weights") && seed.contains("mini-batch"), seed);
    String layers = optionHelp("train", "--layers");
    assertTrue(layers.contains("input and output included"), layers);
    assertFalse(layers.contains("Required"), layers);
    String help = CliRun.of("train", "--help").out();
    assertFalse(help.contains("Required"), "'Required' in train --help:\n" + help);
  }

  @Test
  void predictAndEvaluateSayTheyStartSparkFirst() throws Exception {
    Network net = Network.of(new int[] {2, 1}, new Activation[] {Activation.IDENTITY});
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve(SavedModel.FILE), new SavedModel(net,
        net.standardNormalWeights(1), List.of("x1", "x2"), "y", Scaling.identity(2),
        new ObjectMapper().createObjectNode()).toJsonString());
    String data = tmp.resolve("data.parquet").toString();
    StructType schema = new StructType().add("x1", DataTypes.DoubleType)
        .add("x2", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
    SparkTestSession.get().createDataFrame(List.of(RowFactory.create(1.0, 2.0, 3.0),
        RowFactory.create(4.0, 5.0, 6.0)), schema).coalesce(1).write().parquet(data);

    CliRun p = CliRun.of("predict", "--model", model.toString(), "--input", data,
        "--output", tmp.resolve("out.parquet").toString(), "--master", "local[2]");
    assertEquals(0, p.code(), p.err());
    assertEquals("predict: starting Spark (local[2])...", p.out().lines().findFirst().orElse(""),
        p.out());
    CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--input",
        data);
    assertEquals(0, e.code(), e.err());
    String first = e.out().lines().findFirst().orElse("");
    assertTrue(first.matches("evaluate: starting Spark \\(.+\\)\\.\\.\\."), e.out());
    CliRun json = CliRun.of("evaluate", "--model", model.toString(), "--input",
        data, "--json");
    assertEquals(0, json.code(), json.err());
    assertEquals(1, json.out().strip().lines().count(), "--json: one JSON object alone: "
        + json.out());
    assertTrue(json.out().startsWith("{"), json.out());
  }
}
