package io.sparkbackprop.ml;

import java.util.Locale;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/** The step size of {@code w -= stepSize * g}, and how it changes over the iterations. */
public interface StepSizeParams extends SolverParams {
  default DoubleParam stepSize() {
    return table().doubleParam("stepSize", null, "> 0", ParamValidators.gt(0), "learning rate"
        + " of w -= stepSize * g (> 0); when not set: 0.1 for gd and sgd, 0.01 for adam and"
        + " local-sgd, 0.003 for local-adam; not used by l-bfgs");
  }

  /** The step size set, else 0.003 for local-adam, 0.01 for adam and local-sgd, else 0.1. */
  default double getStepSize() {
    return isDefined(stepSize()) ? (Double) getOrDefault(stepSize())
        : getSolver().equals("local-adam") ? 0.003
        : getSolver().equals("adam") || getSolver().equals("local-sgd") ? 0.01 : 0.1;
  }

  default Param<String> learningRateSchedule() {
    return table().stringParam("learningRateSchedule", "constant",
        "one of constant, invscaling, step", ParamChecks.oneOf("constant", "invscaling", "step"),
        "the step size at iteration t: constant; invscaling: stepSize / t^powerT; step: stepSize"
            + " * decayFactor^floor((t - 1) / decayEvery)");
  }

  default String getLearningRateSchedule() {
    return getOrDefault(learningRateSchedule()).toLowerCase(Locale.ROOT);
  }

  default DoubleParam powerT() {
    return table().doubleParam("powerT", 0.5, ">= 0", ParamValidators.gtEq(0),
        "invscaling's power (>= 0)");
  }

  default double getPowerT() {
    return (Double) getOrDefault(powerT());
  }

  default DoubleParam decayFactor() {
    return table().doubleParam("decayFactor", 0.5, "in (0, 1]",
        ParamValidators.inRange(0, 1, false, true), "step decay's factor, in (0, 1]");
  }

  default double getDecayFactor() {
    return (Double) getOrDefault(decayFactor());
  }

  default IntParam decayEvery() {
    return table().intParam("decayEvery", 100, ">= 1", ParamValidators.gtEq(1),
        "step decay's period in iterations (>= 1)");
  }

  default int getDecayEvery() {
    return (Integer) getOrDefault(decayEvery());
  }
}
