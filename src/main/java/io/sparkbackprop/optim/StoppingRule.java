package io.sparkbackprop.optim;

/**
 * When to stop: after {@code maxIterations}, or when the objective's relative change
 * |J_t - J_{t-1}| / max(|J_{t-1}|, 1e-300) falls below {@code tol} (tol = 0 never stops early).
 */
public final class StoppingRule {
  private final int maxIterations;
  private final double tol;
  private double previous = Double.NaN;
  private String reason;

  public StoppingRule(int maxIterations, double tol) {
    this.maxIterations = maxIterations;
    this.tol = tol;
  }

  /**
   * Records iteration t's objective and says whether training should stop after it.
   */
  public boolean shouldStop(int t, double objective) {
    if (!Double.isNaN(previous) && tol > 0) {
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
