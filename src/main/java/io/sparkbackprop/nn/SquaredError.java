package io.sparkbackprop.nn;

/**
 * The loss, its gradient and the update sign: the project's numerical conventions, in one place.
 *
 * <ul>
 *   <li>Loss of one row (the textbook's): {@code L = (y - yhat)^2}, summed over the output units
 *       when there is more than one. No factor 1/2.</li>
 *   <li>Its derivative: {@code dL/dyhat = -2 (y - yhat) = 2 (yhat - y)}.</li>
 *   <li>Objective for a dataset of n rows: the MEAN, {@code J(w) = (1/n) sum_i L_i}. Workers SUM
 *       per-row losses and gradients; whoever holds the global n divides ONCE (on Spark: the driver).</li>
 *   <li>The gradient g = dJ/dw is the direction of steepest ascent; every update rule steps
 *       {@code w -= lr * g}.</li>
 * </ul>
 */
public final class SquaredError {
  private SquaredError() {}

  /** L = (y - yhat)^2. */
  public static double loss(double y, double yhat) {
    double r = y - yhat;
    return r * r;
  }

  /** dL/dyhat = -2 (y - yhat). */
  public static double derivative(double y, double yhat) {
    return -2.0 * (y - yhat);
  }
}
