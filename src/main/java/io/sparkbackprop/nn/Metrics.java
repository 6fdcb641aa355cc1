package io.sparkbackprop.nn;

import java.io.Serializable;

/**
 * Regression metrics of predictions yhat against labels y, in label units, as a mergeable summary:
 * the row count n, SSE = sum (y - yhat)^2, SAE = sum |y - yhat|, and the label's mean and
 * M2 = sum (y - mean)^2 (merged with Chan et al.'s pairwise formula, so no sum of squares of large
 * labels is ever subtracted). Then
 * <pre>
 *   RMSE = sqrt(SSE / n),   MAE = SAE / n,   R^2 = 1 - SSE / M2   (NaN when every label is equal)
 * </pre>
 * Executors {@link #add} rows and {@link #merge} partitions; the driver merges partitions in index
 * order, so the result does not depend on task completion order. Immutable except for {@link #add}
 * on a {@link Builder}.
 */
public record Metrics(long n, double sse, double sae, double labelMean, double labelM2)
    implements Serializable {

  public static final Metrics EMPTY = new Metrics(0, 0, 0, 0, 0);

  public double rmse() {
    return n == 0 ? Double.NaN : Math.sqrt(sse / n);
  }

  public double mae() {
    return n == 0 ? Double.NaN : sae / n;
  }

  /** Coefficient of determination 1 - SSE / sum (y - mean y)^2; NaN when the labels are constant. */
  public double r2() {
    return n == 0 || !(labelM2 > 0) ? Double.NaN : 1.0 - sse / labelM2;
  }

  /** The summary of both sets of rows (Chan, Golub and LeVeque's update for the label's M2). */
  public Metrics merge(Metrics o) {
    if (n == 0) {
      return o;
    }
    if (o.n == 0) {
      return this;
    }
    long total = n + o.n;
    double delta = o.labelMean - labelMean;
    double mean = labelMean + delta * o.n / total;
    double m2 = labelM2 + o.labelM2 + delta * delta * ((double) n * o.n / total);
    return new Metrics(total, sse + o.sse, sae + o.sae, mean, m2);
  }

  /**
   * The metrics of k outputs' predictions pooled as one column of n k values: its RMSE is
   * {@code sqrt(sum over rows and outputs of (y - yhat)^2 / (n k))} (the validation RMSE of a
   * multi-output network); its R^2 is not the mean of the outputs' R^2. One output: itself.
   */
  public static Metrics pooled(java.util.List<Metrics> outputs) {
    Metrics total = EMPTY;
    for (Metrics m : outputs) {
      total = total.merge(m);
    }
    return total;
  }

  /** Accumulates rows one at a time (Welford's update for the label's mean and M2). */
  public static final class Builder {
    private long n;
    private double sse;
    private double sae;
    private double mean;
    private double m2;

    /** Adds the rows of y and yhat (both not modified) from 0 to len - 1. */
    public Builder add(double[] y, double[] yhat, int len) {
      return add(y, yhat, 0, len);
    }

    /** Adds the rows of y and yhat (both not modified) from {@code from} to from + len - 1. */
    public Builder add(double[] y, double[] yhat, int from, int len) {
      for (int i = from; i < from + len; i++) {
        double r = y[i] - yhat[i];
        sse += r * r;
        sae += Math.abs(r);
        n++;
        double d = y[i] - mean;
        mean += d / n;
        m2 += d * (y[i] - mean);
      }
      return this;
    }

    public Metrics build() {
      return new Metrics(n, sse, sae, mean, m2);
    }
  }
}
