package io.sparkbackprop.optim;

/**
 * Local steps with a periodic combination (local SGD, federated averaging: McMahan et al. 2017,
 * Stich 2019, Lin et al. 2020), as the training loop sees it: one round from the driver's state.
 * Every share of the rows starts from the same weights w, inner-rule state s (e.g. Adam's moments)
 * and step count, runs mini-batch steps of the inner rule over its own rows, and the shares'
 * results are combined weighted by their row counts n_p (n = sum n_p):
 * <pre>
 *   change = sum_p n_p (w_p - w) / n        state = sum_p n_p s_p / n
 * </pre>
 * so that the next round starts from the plain average of the shares' weights (and states). With
 * one share this is the inner rule's mini-batch training, epoch by epoch. How the shares run (on
 * Spark: broadcast, one task per partition, the ordered tree, one division by n) is not the loop's
 * business.
 */
public interface Rounds {
  /**
   * Round t from (w, state, steps).
   *
   * @param w weights at the start of the round (not modified)
   * @param state the inner rule's {@link UpdateRule#state()} at the start (not modified; empty
   *     before the first round)
   * @param steps inner steps taken before this round: the round's k-th step is step steps + k of
   *     the inner rule (Adam's bias correction and the learning-rate schedule count them)
   * @param t the round, 1-based (the shares' row orders derive from it)
   * @param description shown as the Spark job's description
   */
  Round run(double[] w, double[][] state, long steps, int t, String description);

  /** A short description with every setting, for logs and the saved model. */
  String describe();

  /** The inner rule's step size (its initial one under a schedule), for messages. */
  double stepSize();

  /**
   * What a round gives back.
   *
   * @param change sum_p n_p (w_p - w) / n (a fresh array)
   * @param state sum_p n_p s_p / n, one array per array of the inner rule's state
   * @param steps the round's inner steps, sum_p n_p k_p / n rounded to the nearest integer
   * @param loss the mean of (y - yhat)^2 over every row of every mini-batch of the round, each
   *     at the weights before its step (without the L2 penalty)
   * @param rows n, the rows of all shares
   */
  record Round(double[] change, double[][] state, long steps, double loss, long rows) {}
}
