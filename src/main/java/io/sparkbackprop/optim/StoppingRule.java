package io.sparkbackprop.optim;

/**
 * When to stop: after {@code maxIterations}, or when the objective stops improving, by one of two
 * rules (tol = 0: neither):
 * <ul>
 *   <li>{@code noChange = 0}: its relative change |J_t - J_{t-1}| / max(|J_{t-1}|, 1e-300) falls
 *       below {@code tol} (for full-batch solvers, whose J falls smoothly);</li>
 *   <li>{@code noChange = k >= 1}: for k iterations in a row J_t was not below
 *       {@code (1 - tol) * best}, best the lowest J before it (scikit-learn's
 *       {@code n_iter_no_change} with a relative tol: for mini-batch solvers, whose J is noisy).</li>
 * </ul>
 */
final class StoppingRule {
  private final int maxIterations;
  private final double tol;
  private final int noChange;
  private double previous = Double.NaN;
  private double best = Double.NaN;
  private int without;
  private String reason;

  public StoppingRule(int maxIterations, double tol) {
    this(maxIterations, tol, 0);
  }

  public StoppingRule(int maxIterations, double tol, int noChange) {
    this.maxIterations = maxIterations;
    this.tol = tol;
    this.noChange = noChange;
  }

  /**
   * Records iteration t's objective and says whether training should stop after it.
   */
  public boolean shouldStop(int t, double objective) {
    if (noChange > 0 && tol > 0) {
      without = !Double.isNaN(best) && !(objective < (1 - tol) * best) ? without + 1 : 0;
      best = Double.isNaN(best) ? objective : Math.min(best, objective);
      if (without >= noChange) {
        reason = "converged: the objective did not fall below (1 - tol) x its best " + best
            + " (tol " + tol + ") in " + noChange + " iterations, at iteration " + t;
        return true;
      }
    } else if (!Double.isNaN(previous) && tol > 0) {
      double rel = Math.abs(objective - previous) / Math.max(Math.abs(previous), 1e-300);
      if (rel < tol) {
        reason = "converged: relative change of the objective " + String.format("%.3g", rel)
            + " < tol " + tol + " at iteration " + t;
        return true;
      }
    }
    previous = objective;
    if (t >= maxIterations) {
      reason = "reached the maximum of " + maxIterations + " iterations";
      return true;
    }
    return false;
  }

  /** Why training stopped, once {@link #shouldStop} returned true. */
  public String reason() {
    return reason;
  }
}
