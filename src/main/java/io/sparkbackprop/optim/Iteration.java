package io.sparkbackprop.optim;

import java.io.Serializable;

/**
 * One line of a training history, at the weights the iteration STARTED from (before its step).
 *
 * @param iteration t, 1-based
 * @param objective J(w_t) with the L2 penalty included; NaN when the row sample was empty
 * @param gradientNorm ||dJ/dw|| at w_t, before clipping; NaN when the row sample was empty
 * @param seconds wall time of the iteration on the driver
 * @param validationRmse validation RMSE at w_t in label units; NaN when not computed this iteration
 */
public record Iteration(int iteration, double objective, double gradientNorm, double seconds,
    double validationRmse) implements Serializable {}
