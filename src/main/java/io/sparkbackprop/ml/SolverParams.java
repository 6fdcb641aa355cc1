package io.sparkbackprop.ml;

import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/**
 * The solver and its own settings: the sample each step sees, the penalty, clipping, momentum,
 * Adam's and L-BFGS's constants, and the local solvers' mini-batches. The step size and its
 * schedule are {@link StepSizeParams}.
 */
public interface SolverParams extends ParamTable.Owner {
  /** The solvers: names as set (lower case) and what they mean. */
  List<String> SOLVERS = List.of("gd", "sgd", "adam", "l-bfgs", "lbfgs", "local-adam",
      "local-sgd");

  default Param<String> solver() {
    return table().stringParam("solver", "local-adam", "one of " + SOLVERS,
        s -> SOLVERS.contains(s.toLowerCase(Locale.ROOT)), "gd: full-batch gradient descent;"
            + " sgd: gradient descent on a Bernoulli sample of miniBatchFraction of the rows each"
            + " iteration; adam: Adam (Kingma and Ba, 2015) on such samples (full batch by"
            + " default); l-bfgs (or lbfgs): Breeze's L-BFGS, full batch; local-adam and"
            + " local-sgd: rounds of local mini-batch steps (Adam, or sgd with momentum) in every"
            + " partition over its own rows in a shuffled order, batchSize rows per step, one"
            + " local epoch (or localSteps) per round, the partitions' weights then averaged"
            + " (weighted by rows); one iteration is one round");
  }

  /** The solver, lower case, with lbfgs read as l-bfgs. */
  default String getSolver() {
    String s = getOrDefault(solver()).toLowerCase(Locale.ROOT);
    return s.equals("lbfgs") ? "l-bfgs" : s;
  }

  /** Whether the solver is local-adam or local-sgd. */
  default boolean isLocalSolver() {
    return getSolver().startsWith("local-");
  }

  default DoubleParam miniBatchFraction() {
    return table().doubleParam("miniBatchFraction", null, "in (0, 1]",
        ParamValidators.inRange(0, 1, false, true), "share of the rows in each iteration's"
            + " Bernoulli sample, in (0, 1], for sgd and adam; when not set: 0.1 for sgd, 1 (full"
            + " batch) for the others");
  }

  /** The fraction set, else 0.1 for sgd and 1 (full batch) for the others. */
  default double getMiniBatchFraction() {
    return isDefined(miniBatchFraction()) ? (Double) getOrDefault(miniBatchFraction())
        : getSolver().equals("sgd") ? 0.1 : 1.0;
  }

  default DoubleParam regParam() {
    return table().doubleParam("regParam", null, ">= 0", ParamValidators.gtEq(0), "L2 penalty"
        + " alpha (>= 0): J + alpha * sum W^2 over the weights, never the biases; when not set:"
        + " 5 / n for local-adam and local-sgd (n the training rows: the weight of five rows,"
        + " fading as the data grow), else 0");
  }

  /**
   * regParam as set, else 0 (training resolves the default of the local solvers:
   * {@link #regParamFor}).
   */
  default double getRegParam() {
    return isDefined(regParam()) ? (Double) getOrDefault(regParam()) : 0.0;
  }

  /** regParam as set, else its default for a training set of {@code rows} rows. */
  default double regParamFor(long rows) {
    return isDefined(regParam()) || !isLocalSolver() ? getRegParam() : 5.0 / Math.max(1, rows);
  }

  default DoubleParam clipNorm() {
    return table().doubleParam("clipNorm", 0.0, ">= 0", ParamValidators.gtEq(0), "scale the"
        + " gradient down to this norm when it is longer, before each step (>= 0; 0: no"
        + " clipping; not with l-bfgs)");
  }

  default double getClipNorm() {
    return (Double) getOrDefault(clipNorm());
  }

  default DoubleParam momentum() {
    return table().doubleParam("momentum", 0.0, "in [0, 1)",
        ParamValidators.inRange(0, 1, true, false), "momentum mu of gd and sgd, in [0, 1)"
            + " (0: none)");
  }

  default double getMomentum() {
    return (Double) getOrDefault(momentum());
  }

  default BooleanParam nesterov() {
    return table().booleanParam("nesterov", false, "Nesterov's momentum instead of plain"
        + " momentum (needs momentum > 0)");
  }

  default boolean getNesterov() {
    return (Boolean) getOrDefault(nesterov());
  }

  default DoubleParam beta1() {
    return table().doubleParam("beta1", 0.9, "in [0, 1)",
        ParamValidators.inRange(0, 1, true, false), "Adam's decay of the first moment, in [0, 1)");
  }

  default double getBeta1() {
    return (Double) getOrDefault(beta1());
  }

  default DoubleParam beta2() {
    return table().doubleParam("beta2", 0.999, "in [0, 1)",
        ParamValidators.inRange(0, 1, true, false), "Adam's decay of the second moment, in [0, 1)");
  }

  default double getBeta2() {
    return (Double) getOrDefault(beta2());
  }

  default DoubleParam epsilon() {
    return table().doubleParam("epsilon", 1e-8, "> 0", ParamValidators.gt(0),
        "Adam's epsilon (> 0)");
  }

  default double getEpsilon() {
    return (Double) getOrDefault(epsilon());
  }

  default IntParam lbfgsMemory() {
    return table().intParam("lbfgsMemory", 7, ">= 1", ParamValidators.gtEq(1),
        "L-BFGS correction pairs kept (>= 1)");
  }

  default int getLbfgsMemory() {
    return (Integer) getOrDefault(lbfgsMemory());
  }

  default IntParam batchSize() {
    return table().intParam("batchSize", 200, ">= 1", ParamValidators.gtEq(1), "rows per"
        + " mini-batch step of local-adam and local-sgd (>= 1; a partition with fewer rows takes"
        + " them all)");
  }

  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  default IntParam localSteps() {
    return table().intParam("localSteps", 0, ">= 0", ParamValidators.gtEq(0), "mini-batch"
        + " steps each partition takes per round of local-adam and local-sgd (>= 0; 0: one local"
        + " epoch over its rows)");
  }

  default int getLocalSteps() {
    return (Integer) getOrDefault(localSteps());
  }
}
