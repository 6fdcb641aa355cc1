package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.optim.Iteration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a listener hears during a fit, the summary it ends with, and the summary after a save. */
class ListenerSummaryTest {
  private static final int MAX_ITER = 12;

  /** Every call, in order. */
  private static final class Recorder implements TrainingListener {
    final List<String> calls = new ArrayList<>();
    final List<Iteration> iterations = new ArrayList<>();
    final List<Integer> maxima = new ArrayList<>();
    TrainingStart start;
    TrainingSummary end;

    @Override public void onStart(TrainingStart s) {
      calls.add("start");
      start = s;
    }

    @Override public void onIteration(Iteration it, int max) {
      calls.add("iteration " + it.iteration());
      iterations.add(it);
      maxima.add(max);
    }

    @Override public void onEnd(TrainingSummary s) {
      calls.add("end");
      end = s;
    }
  }

  @TempDir
  Path tmp;

  private static Recorder heard;
  private static MultilayerPerceptronRegressionModel model;

  @BeforeAll
  static void fit() {
    heard = new Recorder();
    model = MlFixtures.small().setMaxIter(MAX_ITER).setValidationFraction(0.25).setEvalEvery(3)
        .setListener(heard).fit(MlFixtures.diabetesAssembled());
  }

  @Test
  void theListenerHearsStartEachIterationInOrderAndEnd() {
    List<String> expected = new ArrayList<>();
    expected.add("start");
    for (int t = 1; t <= MAX_ITER; t++) {
      expected.add("iteration " + t);
    }
    expected.add("end");
    assertEquals(expected, heard.calls, "calls to the listener");
    for (int max : heard.maxima) {
      assertEquals(MAX_ITER, max, "maxIterations given to onIteration");
    }
  }

  @Test
  void onStartHasTheRowCounts() {
    TrainingStart s = heard.start;
    TrainingSummary summary = model.summary();
    assertEquals(442, s.trainingRows() + s.validationRows(), "training + validation rows");
    assertTrue(s.validationRows() > 0, "validation rows: " + s.validationRows());
    assertEquals(summary.trainingRows(), s.trainingRows(), "training rows: start vs summary");
    assertEquals(summary.validationRows(), s.validationRows(),
        "validation rows: start vs summary");
    assertEquals(0, s.invalidRows(), "invalid rows");
    assertEquals(10, s.features(), "features");
    assertEquals(List.of(MlFixtures.DIABETES_FEATURES), s.featureNames(), "feature names");
    assertEquals(MAX_ITER, s.maxIterations(), "maxIterations");
    assertEquals(97, s.weights(), "weights of 10-8-1");
  }

  @Test
  void onEndHasTheModelsSummary() {
    assertSame(model.summary(), heard.end, "the summary heard at the end is the model's");
  }

  @Test
  void theHistoriesMatchWhatTheListenerHeard() {
    TrainingSummary s = model.summary();
    assertEquals(MAX_ITER, s.totalIterations(), "iterations run");
    assertEquals(MAX_ITER, s.objectiveHistory().length, "objective history entries");
    assertEquals(MAX_ITER, s.validationHistory().length, "validation history entries");
    double[] objective = heard.iterations.stream().mapToDouble(Iteration::objective).toArray();
    double[] validation = heard.iterations.stream().mapToDouble(Iteration::validationRmse)
        .toArray();
    assertSameDoubles(objective, s.objectiveHistory(), "objective history vs listener");
    assertSameDoubles(validation, s.validationHistory(), "validation history vs listener");
    for (int t = 1; t <= MAX_ITER; t++) {
      double v = s.validationHistory()[t - 1];
      boolean evaluated = t == 1 || t % 3 == 0;
      assertEquals(evaluated, !Double.isNaN(v), "validation RMSE computed at iteration " + t
          + " (evalEvery 3): " + v);
    }
    assertTrue(s.objectiveHistory()[MAX_ITER - 1] < s.objectiveHistory()[0],
        "the objective did not fall: " + java.util.Arrays.toString(s.objectiveHistory()));
    assertTrue(s.stopReason().contains("maximum of " + MAX_ITER), "stop reason: "
        + s.stopReason());
  }

  @Test
  void aLambdaListenerHearsIterationsOnly() {
    List<Integer> ts = new ArrayList<>();
    MlFixtures.small().setMaxIter(4).setListener((it, max) -> ts.add(it.iteration()))
        .fit(MlFixtures.diabetesAssembled());
    assertEquals(List.of(1, 2, 3, 4), ts, "iterations heard");
  }

  private static void assertSameSummary(TrainingSummary a, TrainingSummary b, String what) {
    assertSameDoubles(a.objectiveHistory(), b.objectiveHistory(), what + ": objective history");
    assertSameDoubles(a.validationHistory(), b.validationHistory(),
        what + ": validation history");
    assertSameDoubles(a.gradientNormHistory(), b.gradientNormHistory(),
        what + ": gradient norm history");
    assertEquals(a.stopReason(), b.stopReason(), what + ": stop reason");
    assertEquals(a.totalIterations(), b.totalIterations(), what + ": iterations");
    assertEquals(a.bestIteration(), b.bestIteration(), what + ": best iteration");
    assertEquals(a.training(), b.training(), what + ": training metrics");
    assertEquals(a.validation(), b.validation(), what + ": validation metrics");
    assertEquals(a.finalObjective(), b.finalObjective(), what + ": final objective");
    assertEquals(a.trainingRows(), b.trainingRows(), what + ": training rows");
    assertEquals(a.validationRows(), b.validationRows(), what + ": validation rows");
    assertEquals(a.invalidRows(), b.invalidRows(), what + ": invalid rows");
    assertEquals(a.warnings(), b.warnings(), what + ": warnings");
    assertEquals(a.provenance().params(), b.provenance().params(), what + ": params");
    assertEquals(a.provenance().spark(), b.provenance().spark(), what + ": Spark version");
  }

  @Test
  void theSummarySurvivesSaveAndLoad() throws IOException {
    String dir = tmp.resolve("model").toString();
    model.write().save(dir);
    MultilayerPerceptronRegressionModel loaded = MultilayerPerceptronRegressionModel.load(dir);
    assertTrue(loaded.hasSummary(), "hasSummary after load");
    assertSameSummary(model.summary(), loaded.summary(), "after load");
    assertNotNull(loaded.summary().validation(), "validation metrics after load");
  }

  @Test
  void theSummarySurvivesInAPipeline() throws IOException {
    PipelineModel p = new Pipeline().setStages(new PipelineStage[] {
        MlFixtures.diabetesAssembler(), MlFixtures.small().setMaxIter(5).setTol(1e-3)})
        .fit(MlFixtures.diabetes());
    String dir = tmp.resolve("pipeline").toString();
    p.write().save(dir);
    MultilayerPerceptronRegressionModel before = (MultilayerPerceptronRegressionModel)
        p.stages()[1];
    MultilayerPerceptronRegressionModel after = (MultilayerPerceptronRegressionModel)
        PipelineModel.load(dir).stages()[1];
    assertTrue(after.hasSummary(), "hasSummary after PipelineModel.load");
    assertSameSummary(before.summary(), after.summary(), "in a pipeline");
    assertFalse(before.summary().validationHistory().length > 0,
        "no validation history without validation");
  }
}
