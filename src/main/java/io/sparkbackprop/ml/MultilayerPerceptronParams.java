package io.sparkbackprop.ml;

/**
 * The Params of {@link MultilayerPerceptronRegressor} and its model, with MLlib's names where
 * MLlib has the same setting ({@code MultilayerPerceptronClassifier}, {@code LinearRegression},
 * {@code GBTRegressor}), grouped by theme:
 * <ul>
 *   <li>{@link NetworkParams}: the network's shape and activations, its initial weights, the seed;
 *   <li>{@link SolverParams}: the solver and its own settings;
 *   <li>{@link StepSizeParams}: the step size and its schedule;
 *   <li>{@link StoppingParams}: the iteration budget, convergence, validation and early stopping;
 *   <li>{@link DataParams}: row weights, invalid rows, standardization;
 *   <li>{@link ExecutionParams}: the cached blocks, partitions, precision, the combine;
 *   <li>{@link CheckpointParams}: checkpoints and resuming.
 * </ul>
 * Each Param is declared once, in its accessor, with its doc, its range and its default
 * ({@link ParamTable}), its getter beside it; Spark finds them through those public accessors. A
 * value out of range is an {@link IllegalArgumentException} naming the param and the range when
 * it is set.
 *
 * <p>Conventions (see {@link io.sparkbackprop.nn.SquaredError}): the objective is
 * {@code J(w) = (1/n) sum_i (y_i - yhat_i)^2 + regParam * sum W^2} over the (standardized)
 * training rows, and every solver steps {@code w -= stepSize * g} with {@code g = dJ/dw}.
 */
public interface MultilayerPerceptronParams extends NetworkParams, SolverParams, StepSizeParams,
    StoppingParams, DataParams, ExecutionParams, CheckpointParams {
}
