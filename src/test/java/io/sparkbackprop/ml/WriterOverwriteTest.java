package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * write().overwrite().save(path) replaces what is at path (Spark's meaning), but not the data the
 * model was trained on; a checkpoint directory that cannot be written fails the fit before
 * training.
 */
class WriterOverwriteTest {
  @TempDir
  Path tmp;

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted()
          .toList();
    }
  }

  @Test
  void refusesToReplaceItsTrainingData() throws IOException {
    Path data = tmp.resolve("data/train.parquet");
    MlFixtures.diabetes().write().parquet(data.toString());
    List<String> before = files(tmp.resolve("data"));
    Dataset<Row> in = MlFixtures.diabetesAssembler().transform(MlFixtures.spark().read()
        .parquet(data.toString()));
    MultilayerPerceptronRegressionModel m = MlFixtures.small().setMaxIter(2).fit(in);
    assertTrue(!m.trainingFiles().isEmpty() && m.trainingFiles().stream()
        .allMatch(f -> f.contains("train.parquet/part-")), "training files: " + m.trainingFiles());
    for (Path target : List.of(data, data.getParent())) {
      IOException e = assertThrows(IOException.class,
          () -> m.write().overwrite().save(target.toString()));
      assertTrue(e.getMessage().startsWith(target + ": ") && e.getMessage().contains(
          "the data this model was trained on") && e.getMessage().endsWith(
          "; refusing to replace it"), e.getMessage());
    }
    assertEquals(before, files(tmp.resolve("data")), "the training data changed");
    // a copy keeps the knowledge; elsewhere, anything is replaced (Spark's meaning)
    Path other = tmp.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("notes.txt"), "x");
    m.copy(new org.apache.spark.ml.param.ParamMap()).write().overwrite().save(other.toString());
    assertEquals(List.of("metadata/part-00000", "model.json"), files(other));
    assertThrows(IOException.class, () -> m.copy(new org.apache.spark.ml.param.ParamMap())
        .write().overwrite().save(data.toString()));
  }

  @Test
  void anUnwritableCheckpointDirectoryFailsBeforeTraining() throws IOException {
    Path file = tmp.resolve("file.txt");
    Files.writeString(file, "x");
    List<String> started = new java.util.ArrayList<>();
    MultilayerPerceptronRegressor est = MlFixtures.small().setCheckpointDir(file + "/ck")
        .setListener(new TrainingListener() {
          @Override public void onStart(TrainingStart s) {
            started.add("start");
          }

          @Override public void onIteration(io.sparkbackprop.optim.Iteration it, int max) {
            started.add("iteration " + it.iteration());
          }
        });
    io.sparkbackprop.errors.TrainingFailed e = assertThrows(
        io.sparkbackprop.errors.TrainingFailed.class, () -> est.fit(
            MlFixtures.diabetesAssembled()));
    assertTrue(e.getMessage().startsWith("cannot write a checkpoint in " + file + "/ck"),
        e.getMessage());
    assertEquals(List.of(), started, "training started");
    assertEquals(List.of("file.txt"), files(tmp));
  }
}
