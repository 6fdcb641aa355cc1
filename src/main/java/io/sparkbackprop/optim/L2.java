package io.sparkbackprop.optim;

import io.sparkbackprop.nn.Network;

/**
 * L2 regularisation of the weights only, never the biases: the objective becomes
 * {@code J(w) + alpha * sum W[l][from][to]^2 over from >= 1}, its gradient gains
 * {@code 2 alpha W[l][from][to]} on those weights (the same no-1/2 convention as the loss).
 */
public final class L2 {
  private L2() {}

  /** The penalty alpha * sum W^2 over the weights (not the biases); w not modified. */
  public static double penalty(Network net, double alpha, double[] w) {
    return apply(net, alpha, w, new double[w.length]);
  }

  /**
   * Adds the penalty's gradient to {@code g} and returns the penalty.
   *
   * @param w weights (not modified)
   * @param g gradient (Modified: += 2 alpha W on non-bias weights)
   */
  public static double apply(Network net, double alpha, double[] w, double[] g) {
    if (alpha == 0) {
      return 0;
    }
    double penalty = 0;
    for (int l = 1; l <= net.depth(); l++) {
      int in = net.layer(l).in();
      for (int to = 1; to <= net.layer(l).out(); to++) {
        int start = net.index(l, 1, to);
        for (int i = start; i < start + in; i++) {
          penalty += w[i] * w[i];
          g[i] += 2 * alpha * w[i];
        }
      }
    }
    return alpha * penalty;
  }
}
