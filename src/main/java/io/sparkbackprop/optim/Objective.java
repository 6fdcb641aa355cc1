package io.sparkbackprop.optim;

/**
 * What the training loop sees of the data: the objective J(w) = (1/n) sum_i (y_i - yhat_i)^2 and
 * its gradient g = dJ/dw at a point (see {@link io.sparkbackprop.nn.SquaredError}). How it is
 * computed (on Spark: broadcast, per-partition sums, combination, one division by n) is not the
 * loop's business. With row weights (weightCol) the means are weighted:
 * J(w) = sum_i w_i (y_i - yhat_i)^2 / sum_i w_i, and g likewise.
 */
public interface Objective {
  /**
   * J and g at w, for iteration t (a mini-batch objective samples its rows from t).
   *
   * @param w weights (not modified)
   * @param t iteration, 1-based (0 for an evaluation outside the iterations)
   * @param description what the evaluation is for, e.g. "train iteration 17/500"
   */
  Value evaluate(double[] w, int t, String description);

  /**
   * @param objective J(w), the mean over {@code rows} rows
   * @param gradient dJ/dw, the mean over the same rows; a fresh array the caller may modify
   * @param rows the rows evaluated (0 for an empty mini-batch: then J and g are NaN)
   */
  record Value(double objective, double[] gradient, long rows) {}
}
