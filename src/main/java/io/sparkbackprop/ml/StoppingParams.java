package io.sparkbackprop.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/**
 * When training stops: the iteration budget, the objective's convergence rules, and the
 * validation rows with early stopping on their RMSE.
 */
public interface StoppingParams extends NetworkParams, SolverParams {
  default IntParam maxIter() {
    return table().intParam("maxIter", 500, ">= 1", ParamValidators.gtEq(1),
        "maximum number of iterations (>= 1)");
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  default DoubleParam tol() {
    return table().doubleParam("tol", null, ">= 0", ParamValidators.gtEq(0), "stop when the"
        + " objective's relative change |J_t - J_(t-1)| / |J_(t-1)| falls below tol, or with"
        + " nIterNoChange = k > 0 when J was not below (1 - tol) x its best for k iterations in a"
        + " row (>= 0; 0: never); for l-bfgs, Breeze's convergence tolerance; when not set: 1e-4"
        + " for local-adam and local-sgd, else 0");
  }

  default double getTol() {
    return isDefined(tol()) ? (Double) getOrDefault(tol()) : isLocalSolver() ? 1e-4 : 0.0;
  }

  default IntParam nIterNoChange() {
    return table().intParam("nIterNoChange", null, ">= 0", ParamValidators.gtEq(0), "stop when"
        + " the objective was not below (1 - tol) x its best for this many iterations in a row"
        + " (>= 0; 0: the relative change rule of tol); when not set: 20 for local-adam and"
        + " local-sgd (whose objective, the mean loss of a round's mini-batches, is noisy), else"
        + " 0");
  }

  default int getNIterNoChange() {
    return isDefined(nIterNoChange()) ? (Integer) getOrDefault(nIterNoChange())
        : isLocalSolver() ? 20 : 0;
  }

  default Param<String> validationIndicatorCol() {
    return table().stringParam("validationIndicatorCol", null, "a column name", s -> !s.isEmpty(),
        "name of a boolean column, true for validation rows (as GBTRegressor's); not set: no"
            + " validation rows, unless validationFraction is set");
  }

  /** The column name, or null when not set. */
  default String getValidationIndicatorCol() {
    return isDefined(validationIndicatorCol()) ? getOrDefault(validationIndicatorCol()) : null;
  }

  default DoubleParam validationFraction() {
    return table().doubleParam("validationFraction", null, "in (0, 1)",
        ParamValidators.inRange(0, 1, false, false), "hold out this share of the rows for"
            + " validation, in (0, 1), by a hash of (splitSeed, the row's values): the same rows"
            + " whatever the partitioning; not set: no validation rows, unless"
            + " validationIndicatorCol is set");
  }

  /** The fraction, or 0 when not set. */
  default double getValidationFraction() {
    return isDefined(validationFraction()) ? (Double) getOrDefault(validationFraction()) : 0.0;
  }

  default LongParam splitSeed() {
    return table().longParam("splitSeed", null, "seed of validationFraction's split; when not"
        + " set: seed");
  }

  /** The split's seed set, else {@link #getSeed()}. */
  default long getSplitSeed() {
    return isDefined(splitSeed()) ? (Long) getOrDefault(splitSeed()) : getSeed();
  }

  default IntParam evalEvery() {
    return table().intParam("evalEvery", 1, ">= 1", ParamValidators.gtEq(1), "compute the"
        + " validation RMSE every k iterations (>= 1), and at the first");
  }

  default int getEvalEvery() {
    return (Integer) getOrDefault(evalEvery());
  }

  default IntParam patience() {
    return table().intParam("patience", 0, ">= 0", ParamValidators.gtEq(0), "early stopping:"
        + " stop after this many validation evaluations without an improvement of more than"
        + " minDelta, keeping the best weights (>= 0; 0: off)");
  }

  default int getPatience() {
    return (Integer) getOrDefault(patience());
  }

  default DoubleParam minDelta() {
    return table().doubleParam("minDelta", 0.0, ">= 0", ParamValidators.gtEq(0), "the"
        + " improvement of validation RMSE that counts for early stopping (>= 0)");
  }

  default double getMinDelta() {
    return (Double) getOrDefault(minDelta());
  }
}
