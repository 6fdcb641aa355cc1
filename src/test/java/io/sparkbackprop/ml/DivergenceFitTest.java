package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.errors.TrainingFailed;
import org.junit.jupiter.api.Test;

/** fit throws the library's training exception when the objective explodes, finite or not. */
class DivergenceFitTest {
  @Test
  void fitThrowsTrainingFailedForEverySolverThatExplodes() {
    for (String solver : new String[] {"gd", "sgd", "adam"}) {
      MultilayerPerceptronRegressor est = MlFixtures.small().setSolver(solver).setStepSize(10)
          .setMaxIter(30);
      TrainingFailed e = assertThrows(TrainingFailed.class,
          () -> est.fit(MlFixtures.diabetesAssembled()), solver + " with stepSize 10 did not fail");
      assertEquals(TrainingFailed.Kind.DIVERGED, e.kind(), solver + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("more than 100 times its first value")
          && e.getMessage().endsWith("a smaller stepSize may help"), solver + ": " + e.getMessage());
    }
  }

  @Test
  void lbfgsOnTheSameDataIsNotStopped() {
    // L-BFGS's iterates never rise above J_1 (sufficient decrease), so the rule leaves it alone.
    MultilayerPerceptronRegressionModel m = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 8, 1}).setSolver("l-bfgs").setMaxIter(30).fit(MlFixtures.diabetesAssembled());
    double first = m.summary().history().get(0).objective();
    assertTrue(m.summary().finalObjective() < first, m.summary().stopReason());
  }
}
