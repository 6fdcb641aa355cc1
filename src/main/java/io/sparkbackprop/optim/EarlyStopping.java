package io.sparkbackprop.optim;

/**
 * Early stopping on a validation metric (lower is better): stop after {@code patience}
 * evaluations in a row that do not improve on the best by more than {@code minDelta}; the best
 * weights and their iteration are kept.
 */
final class EarlyStopping {
  private final int patience;
  private final double minDelta;
  private double best = Double.POSITIVE_INFINITY;
  private double[] bestWeights;
  private int bestIteration;
  private int bad;

  public EarlyStopping(int patience, double minDelta) {
    if (patience < 1 || !(minDelta >= 0)) {
      throw new IllegalArgumentException("patience must be >= 1 and min-delta >= 0, got "
          + patience + " and " + minDelta);
    }
    this.patience = patience;
    this.minDelta = minDelta;
  }

  /**
   * Records the metric at iteration t for weights w (copied when best).
   *
   * @return true when training should stop
   */
  public boolean update(int t, double metric, double[] w) {
    if (metric < best - minDelta || bestWeights == null) {
      if (metric < best) {
        best = metric;
        bestWeights = w.clone();
        bestIteration = t;
      }
      bad = 0;
      return false;
    }
    if (metric < best) {
      // An improvement too small to reset patience still moves the best point.
      best = metric;
      bestWeights = w.clone();
      bestIteration = t;
    }
    return ++bad >= patience;
  }

  public double best() {
    return best;
  }

  /** The best weights seen (a copy), or null before any evaluation. */
  public double[] bestWeights() {
    return bestWeights == null ? null : bestWeights.clone();
  }

  public int bestIteration() {
    return bestIteration;
  }

  /** Evaluations in a row without a real improvement so far. */
  public int badEvaluations() {
    return bad;
  }

  /** Restores the state of a checkpoint. */
  public void restore(double best, double[] bestWeights, int bestIteration, int bad) {
    this.best = best;
    this.bestWeights = bestWeights == null ? null : bestWeights.clone();
    this.bestIteration = bestIteration;
    this.bad = bad;
  }

  public String describe() {
    return "early stopping(patience=" + patience + ", minDelta=" + minDelta + ")";
  }
}
