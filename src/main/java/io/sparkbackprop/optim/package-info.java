/**
 * The driver's side of training, with no Spark: the one training loop
 * ({@link io.sparkbackprop.optim.TrainingLoop}) for every solver, the update rules (gradient
 * descent, momentum, Adam, L-BFGS), learning-rate schedules, L2, clipping, and the stopping rules
 * (tolerance, early stopping on validation, divergence), checkpoints of the loop's state.
 *
 * <p>Convention: an {@link io.sparkbackprop.optim.Objective} returns the MEAN loss and gradient
 * (the engine divides its sums by the row count, or the weight sum, once); a step is
 * {@code w -= lr * g}. May import {@code nn} and {@code errors} only.
 */
package io.sparkbackprop.optim;
