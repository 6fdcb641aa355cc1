package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.spark.BlockData;
import io.sparkbackprop.spark.ContentSplit;
import io.sparkbackprop.spark.SparkTestSession;
import io.sparkbackprop.spark.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train with validation, the split, the model file's metrics, loss.png, scaling round trip. */
class TrainValidationTest {
  @TempDir
  Path tmp;

  @Test
  void validationSplitIsDeterministicDisjointAndIndependentOfPartitioning() {
    Dataset<Row> df = SparkTestSession.get().read().parquet(PredictEvaluateTest.DIABETES);
    BlockData.Loaded whole = TestData.load(df, "label", null, 0, 64, false, null);
    List<String> all = TestData.rowStrings(whole.training());
    whole.close();
    ContentSplit split = new ContentSplit(11, 0.3);
    BlockData.Loaded p0 = TestData.load(df, "label", null, 0, 64, false, split);
    BlockData.Loaded p3 = TestData.load(df, "label", null, 3, 17, false, split);
    List<String> v0 = TestData.rowStrings(p0.validation());
    List<String> t0 = TestData.rowStrings(p0.training());
    assertEquals(v0, TestData.rowStrings(p3.validation()), "the validation rows depend on the"
        + " partitioning");
    assertEquals(t0, TestData.rowStrings(p3.training()), "the training rows depend on the"
        + " partitioning");
    assertEquals(3, p3.training().getNumPartitions());
    p0.close();
    p3.close();
    Set<String> overlap = new HashSet<>(v0);
    overlap.retainAll(t0);
    assertEquals(Set.of(), overlap, "rows on both sides");
    List<String> union = new ArrayList<>(v0);
    union.addAll(t0);
    Collections.sort(union);
    assertEquals(all, union, "the two sides are not the whole file");
    // about 30% (binomial sd of 442 * 0.3 * 0.7 is 9.6 rows; 5 sd either side)
    assertTrue(Math.abs(v0.size() - 0.3 * all.size()) < 5 * 9.6, "validation rows " + v0.size());
    BlockData.Loaded other = TestData.load(df, "label", null, 0, 64, false,
        new ContentSplit(12, 0.3));
    assertNotEquals(v0, TestData.rowStrings(other.validation()), "another seed gave the same split");
    other.close();
  }

  @Test
  void scalingRoundTrip() {
    Random r = new Random(5);
    int n = 37;
    int d = 4;
    double[] mean = {1.5, -2, 300, 0};
    double[] scale = {0.5, 3, 1e3, 1};
    Scaling s = new Scaling(mean, scale, 152.0, 77.5);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = mean[i / n] + scale[i / n] * r.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      y[i] = 152 + 77.5 * r.nextGaussian();
    }
    double[] xs = x.clone();
    s.scaleFeatures(xs, n);
    for (int i = 0; i < x.length; i++) {
      assertEquals((x[i] - mean[i / n]) / scale[i / n], xs[i], 0.0);
    }
    double[] ys = y.clone();
    s.scaleLabels(ys, n);
    s.unscaleLabels(ys, n);
    for (int i = 0; i < n; i++) {
      assertEquals(y[i], ys[i], 1e-12 * Math.abs(y[i]), "label " + i);
    }
  }

  @Test
  void trainWithValidationSavesMetricsHistoryAndLossPlot() throws IOException {
    SparkTestSession.get();
    Path model = tmp.resolve("m");
    CliRun r = CliRun.of("train", "--input",
        PredictEvaluateTest.DIABETES, "--hidden", "4", "--standardize-label", "--optimizer", "gd",
        "--lr", "0.05",
        "--iterations", "25", "--validation-fraction", "0.25", "--model", model.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("validation RMSE") && r.out().contains("final metrics"), r.out());
    JsonNode m = PredictEvaluateTest.JSON.readTree(model.resolve("model.json").toFile());
    JsonNode metrics = m.get("training").get("metrics");
    long trainRows = metrics.get("train").get("rows").asLong();
    long valRows = metrics.get("validation").get("rows").asLong();
    assertEquals(442, trainRows + valRows);
    assertEquals(trainRows, m.get("training").get("rows").asLong());
    for (String side : List.of("train", "validation")) {
      for (String k : List.of("rmse", "mae", "r2")) {
        assertTrue(Double.isFinite(metrics.get(side).get(k).asDouble()), side + "." + k);
      }
    }
    // the final training RMSE is the objective's, in label units
    double labelScale = m.get("scaling").get("labelScale").asDouble();
    assertEquals(labelScale * Math.sqrt(m.get("training").get("finalObjective").asDouble()),
        metrics.get("train").get("rmse").asDouble(), 1e-9 * labelScale);
    JsonNode hist = m.get("training").get("history");
    assertEquals(25, hist.size());
    for (JsonNode h : hist) {
      assertTrue(h.get("validationRmse").asDouble() > 0, h.toString());
    }
    // the same split, on the held-out side only, holds the same rows
    BlockData.Loaded held = TestData.load(SparkTestSession.get().read()
        .parquet(PredictEvaluateTest.DIABETES), "label", null, 0, 256, false,
        new ContentSplit(42, 0.25));
    assertEquals(valRows, held.validationRows());
    held.close();

    Path png = model.resolve(LossPlot.FILE);
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
        Arrays.copyOf(bytes, 8), "not a PNG signature");
    assertTrue(bytes.length > 10_000, "suspiciously small PNG: " + bytes.length + " bytes");
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(LossPlot.WIDTH, img.getWidth());
    assertEquals(LossPlot.HEIGHT_WITH_VALIDATION, img.getHeight(), "loss.png with validation:"
        + " the loss chart and, below it, held-out RMSE against seconds");

    // predictions of the standardized model, by hand from model.json: raw in, label units out
    String out = tmp.resolve("p.parquet").toString();
    CliRun p = CliRun.of("predict", "--model", model.toString(),
        "--input", PredictEvaluateTest.DIABETES, "--output", out);
    assertEquals(0, p.code(), p.err());
    List<Row> got = SparkTestSession.get().read().parquet(out).collectAsList();
    for (Row row : got) {
      double[] x = new double[10];
      for (int j = 0; j < 10; j++) {
        x[j] = row.getDouble(j);
      }
      double want = PredictEvaluateTest.independentPrediction(m, x);
      double have = row.getDouble(row.fieldIndex("prediction"));
      assertTrue(Math.abs(have - want) <= 1e-12 * Math.max(1, Math.abs(want)), have + " vs " + want);
    }
  }

  @Test
  void lossPlotWithoutValidationKeepsOneChart() throws IOException {
    SparkTestSession.get();
    Path model = tmp.resolve("n");
    CliRun r = CliRun.of("train", "--input",
        PredictEvaluateTest.DIABETES, "--hidden", "2", "--optimizer", "gd", "--iterations", "3",
        "--model", model.toString());
    assertEquals(0, r.code(), r.err());
    BufferedImage img = ImageIO.read(model.resolve(LossPlot.FILE).toFile());
    assertEquals(LossPlot.WIDTH, img.getWidth());
    assertEquals(LossPlot.HEIGHT, img.getHeight(), "loss.png without validation: one chart");
  }

  @Test
  void badValidationOptions() {
    CliRun both = CliRun.of("train", "--input",
        PredictEvaluateTest.DIABETES, "--validation-fraction", "0.2", "--validation",
        PredictEvaluateTest.DIABETES, "--model", tmp.resolve("x").toString());
    assertEquals(2, both.code());
    assertTrue(both.err().contains("mutually exclusive"), both.err());
    CliRun one = CliRun.of("train", "--input",
        PredictEvaluateTest.DIABETES, "--validation-fraction", "1", "--model",
        tmp.resolve("x").toString());
    assertEquals(2, one.code());
    assertTrue(one.err().contains("--validation-fraction"), one.err());
  }
}
