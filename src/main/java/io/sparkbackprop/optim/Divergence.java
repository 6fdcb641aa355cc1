package io.sparkbackprop.optim;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a finite run has diverged. Fed the objective J_t of each iteration (NaN, an empty
 * mini-batch, is skipped), it says the run diverged when
 * <ul>
 *   <li>J_t &gt; {@value #GROWTH} * J_1, J_1 the first objective of the run (with a resumed
 *       run, of the restored history), or</li>
 *   <li>J rose in each of the last {@value #RISES} iterations, J_{t-k} &lt; ... &lt; J_t, and
 *       J_t &gt; {@value #RISE_FACTOR} * J_{t-k} (k = {@value #RISES}).</li>
 * </ul>
 * Why these numbers: a run that learns never goes far above its start. Full-batch gd with a stable
 * step lowers J every iteration; L-BFGS's iterates satisfy a sufficient-decrease condition, so
 * J_t &lt;= J_1 (its line-search trials are not iterates: only a non-finite trial fails the run);
 * sgd's and Adam's mini-batch objectives scatter around the full one and rise for a few
 * iterations when momentum overshoots, by small factors, not by 100. A step size that is too
 * large multiplies J each iteration (2.98, 97979, 1.5e15), which the first rule stops at once; a
 * slower geometric growth rises every iteration, which the second stops after k. Without a
 * trend, k = 10 rises in a row happen at a given iteration with probability 1/11! (2.5e-8), and
 * the factor of 2 asks for real growth on top.
 */
final class Divergence {
  /** The first rule's multiple of J_1. */
  public static final double GROWTH = 100.0;
  /** The second rule's number of rises in a row. */
  public static final int RISES = 10;
  /** The second rule's growth over those rises. */
  public static final double RISE_FACTOR = 2.0;

  private final List<double[]> seen = new ArrayList<>(); // (t, J_t), finite J only
  private int rises;
  private String reason;

  /**
   * Records iteration t's objective.
   *
   * @return true when the run has diverged; then {@link #reason()} says how
   */
  public boolean diverged(int t, double objective) {
    if (Double.isNaN(objective)) {
      return false;
    }
    double previous = seen.isEmpty() ? Double.NaN : seen.get(seen.size() - 1)[1];
    rises = objective > previous ? rises + 1 : 0;
    seen.add(new double[] {t, objective});
    double first = seen.get(0)[1];
    if (first > 0 && objective > GROWTH * first) {
      reason = "the objective went " + path() + ", more than " + (int) GROWTH
          + " times its first value";
      return true;
    }
    if (rises >= RISES) {
      double before = seen.get(seen.size() - 1 - RISES)[1];
      if (objective > RISE_FACTOR * before) {
        reason = "the objective went " + path() + ", rising in each of the last " + RISES
            + " iterations";
        return true;
      }
    }
    return false;
  }

  /** Iteration t of the last objective recorded. */
  int lastIteration() {
    return (int) seen.get(seen.size() - 1)[0];
  }

  /** How the run diverged, once {@link #diverged} returned true. */
  public String reason() {
    return reason;
  }

  /** "J_1 -> J_2 -> J_3", or the first and the last three with "..." between. */
  private String path() {
    int n = seen.size();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (n > 5 && i > 0 && i < n - 3) {
        if (i == 1) {
          sb.append(" -> ...");
        }
        continue;
      }
      sb.append(i == 0 ? "" : " -> ").append(format(seen.get(i)[1]));
    }
    return sb.toString();
  }

  /** Three significant digits: 2.98, 98000, 1.5e15. */
  static String format(double v) {
    BigDecimal d = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
    double a = Math.abs(v);
    if (a == 0 || (a >= 1e-3 && a < 1e6)) {
      return d.toPlainString();
    }
    return String.format(Locale.ROOT, "%se%d", d.movePointLeft(d.precision() - d.scale() - 1)
        .toPlainString(), d.precision() - d.scale() - 1);
  }
}
