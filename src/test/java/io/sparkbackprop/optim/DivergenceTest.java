package io.sparkbackprop.optim;

import io.sparkbackprop.errors.TrainingFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The divergence rule on made-up objective sequences, alone and inside the training loop. */
class DivergenceTest {
  /** The first iteration (1-based) at which the rule fires, or 0. */
  private static int firesAt(double... js) {
    Divergence d = new Divergence();
    for (int t = 1; t <= js.length; t++) {
      if (d.diverged(t, js[t - 1])) {
        return t;
      }
    }
    return 0;
  }

  @Test
  void anExplosionStopsAsSoonAsItPassesAHundredTimesTheStart() {
    // The reported run: 2.98 -> 97979 -> 1.5e15; 97979 > 100 * 2.98 = 298 already.
    Divergence d = new Divergence();
    assertFalse(d.diverged(1, 2.98));
    assertTrue(d.diverged(2, 97979));
    assertEquals("the objective went 2.98 -> 98000, more than 100 times its first value",
        d.reason());
    assertEquals(0, firesAt(1.0, 50.0, 100.0, 3.0), "100 times is not more than 100 times");
    assertEquals(4, firesAt(1.0, 50.0, 100.0, 100.1));
  }

  @Test
  void tenRisesInARowThatDoubleTheObjectiveStop() {
    double[] js = new double[12];
    js[0] = 1.0;
    js[1] = 0.5; // then 10 rises by 8% each: 0.5 * 1.08^10 = 1.079 > 2 * 0.5
    for (int i = 2; i < js.length; i++) {
      js[i] = js[i - 1] * 1.08;
    }
    assertEquals(12, firesAt(js));
    // Nine rises are not enough, nor ten that grow by less than a factor of 2.
    assertEquals(0, firesAt(java.util.Arrays.copyOf(js, 11)));
    double[] slow = js.clone();
    for (int i = 2; i < slow.length; i++) {
      slow[i] = slow[i - 1] * 1.06; // 1.06^10 = 1.79
    }
    assertEquals(0, firesAt(slow));
  }

  @Test
  void aFallResetsTheRisesAndEmptyBatchesAreSkipped() {
    List<Double> js = new ArrayList<>(List.of(1.0, 0.5));
    for (int i = 0; i < 9; i++) {
      js.add(js.get(js.size() - 1) * 1.2);
    }
    js.add(Double.NaN); // an empty mini-batch: neither a rise nor a fall
    js.add(js.get(js.size() - 2) * 1.2); // the tenth rise: 0.5 * 1.2^10 = 3.1 > 1.0
    assertEquals(js.size(), firesAt(js.stream().mapToDouble(Double::doubleValue).toArray()));
    js.set(6, 0.1); // a fall in the middle
    assertEquals(0, firesAt(js.stream().mapToDouble(Double::doubleValue).toArray()));
  }

  @Test
  void noisyConvergingSequencesDoNotStop() {
    // A falling objective with mini-batch noise of +-60 % and Adam-like bumps of 5x at the start.
    Random r = new Random(7);
    double[] js = new double[5000];
    for (int t = 0; t < js.length; t++) {
      double trend = 10.0 / (1 + t) + 0.01;
      double bump = t > 2 && t < 8 ? 5.0 : 1.0;
      js[t] = trend * bump * (1 + 0.6 * (2 * r.nextDouble() - 1));
    }
    assertEquals(0, firesAt(js));
  }

  @Test
  void numbersAreShownWithThreeDigits() {
    assertEquals("2.98", Divergence.format(2.98));
    assertEquals("98000", Divergence.format(97979));
    assertEquals("1.5e15", Divergence.format(1.5e15));
    assertEquals("1.23e-5", Divergence.format(1.2345e-5));
    assertEquals("0", Divergence.format(0));
  }

  /** J_t = js[t - 1] whatever the weights, and a zero gradient. */
  private static Objective sequence(double[] js, Network net) {
    return (w, t, description) -> new Objective.Value(js[t - 1], new double[net.size()], 100);
  }

  private static final Network NET = Network.of(new int[] {2, 1},
      new Activation[] {Activation.IDENTITY});

  @Test
  void theLoopThrowsAndSaysWhatTheObjectiveDid() {
    double[] js = {2.98, 97979, 1.5e15, 1e20};
    TrainingFailed e = assertThrows(TrainingFailed.class, () -> TrainingLoop.train(
        sequence(js, NET), NET, NET.initialWeights(1), new Solver.Steps(new GradientDescent(0.1)),
        TrainingLoop.Settings.iterations(4), null, null, null, null, "run"));
    assertEquals(TrainingFailed.Kind.DIVERGED, e.kind());
    assertEquals("training diverged at iteration 2: the objective went 2.98 -> 98000, more than"
        + " 100 times its first value, with stepSize 0.1", e.fact());
    assertTrue(e.getMessage().endsWith("; a smaller stepSize may help"), e.getMessage());
  }

  @Test
  void aResumedRunFeedsItsHistoryToTheRule() {
    // Rises from iteration 3 on; the tenth rise (iteration 12) doubles J. A run checkpointed after
    // iteration 6 and resumed must fail at iteration 12 too, not 10 rises after the resume.
    double[] js = new double[20];
    js[0] = 1.0;
    js[1] = 0.5;
    for (int i = 2; i < js.length; i++) {
      js[i] = js[i - 1] * 1.08;
    }
    List<Checkpoint> written = new ArrayList<>();
    Checkpoint.Store store = new Checkpoint.Store() {
      @Override public void write(Checkpoint c) {
        written.add(c);
      }

      @Override public Checkpoint read() {
        return written.get(written.size() - 1);
      }

      @Override public String location() {
        return "memory";
      }
    };
    TrainingLoop.train(sequence(js, NET), NET, NET.initialWeights(1),
        new Solver.Steps(new GradientDescent(0.1)), TrainingLoop.Settings.iterations(6), null,
        null, store, null, "run");
    assertEquals(5, store.read().iteration(), "the last checkpoint before the stop");
    TrainingFailed whole = assertThrows(TrainingFailed.class, () -> TrainingLoop.train(
        sequence(js, NET), NET, NET.initialWeights(1), new Solver.Steps(new GradientDescent(0.1)),
        TrainingLoop.Settings.iterations(20), null, null, null, null, "run"));
    TrainingFailed resumed = assertThrows(TrainingFailed.class, () -> TrainingLoop.train(
        sequence(js, NET), NET, NET.initialWeights(1), new Solver.Steps(new GradientDescent(0.1)),
        TrainingLoop.Settings.iterations(20), null, null, store, store.read(), "run"));
    assertTrue(whole.fact().startsWith("training diverged at iteration 12:"), whole.fact());
    assertEquals(whole.fact(), resumed.fact());
  }

  @Test
  void earlyStoppingDoesNotHideADivergence() {
    double[] js = {1.0, 2.0, 500.0, 1e6};
    TrainingLoop.Settings s = new TrainingLoop.Settings(4, 0, 0, 0, 1, 0, 1);
    // Validation RMSE rises after iteration 1, so early stopping (patience 1) would stop after
    // iteration 2 with iteration 1's weights; the divergence at 3 is never reached then, and a
    // monitor that improves lets the run reach it.
    TrainingLoop.Result stopped = TrainingLoop.train(sequence(js, NET), NET,
        NET.initialWeights(1), new Solver.Steps(new GradientDescent(0.1)), s, (t, w) -> t,
        null, null, null, "run");
    assertEquals(2, stopped.iterations(), stopped.stopReason());
    TrainingFailed e = assertThrows(TrainingFailed.class, () -> TrainingLoop.train(
        sequence(js, NET), NET, NET.initialWeights(1), new Solver.Steps(new GradientDescent(0.1)),
        s, (t, w) -> 1.0 / t, null, null, null, "run"));
    assertTrue(e.fact().startsWith("training diverged at iteration 3:"), e.fact());
  }
}
