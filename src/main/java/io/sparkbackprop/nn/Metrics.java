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
 *
 * <p>Row weights w_i (weightCol), as Spark's {@code RegressionEvaluator} with a weight column
 * weighs them: with W = sum w_i and S = sum w_i^2, SSE = sum w (y - yhat)^2,
 * SAE = sum w |y - yhat|, the label's weighted mean and M2 = sum w (y - mean)^2, and
 * <pre>
 *   RMSE = sqrt(SSE / W),   MAE = SAE / W,
 *   R^2 = 1 - SSE / SStot,  SStot = M2 (W - 1) / (W - S / W)   (Spark's: its unbiased weighted
 *                                                              variance times W - 1)
 * </pre>
 * Without weights W = n and S = n, and the formulas are those above (SStot = M2).
 *
 * @param weight W, the weight sum (n without weights)
 * @param weightSquares S, the sum of squared weights (n without weights)
 */
public record Metrics(long n, double sse, double sae, double labelMean, double labelM2,
    double weight, double weightSquares) implements Serializable {

  public static final Metrics EMPTY = new Metrics(0, 0, 0, 0, 0);

  /** Unweighted rows: W = S = n. */
  public Metrics(long n, double sse, double sae, double labelMean, double labelM2) {
    this(n, sse, sae, labelMean, labelM2, n, n);
  }

  public double rmse() {
    return n == 0 ? Double.NaN : Math.sqrt(sse / weight);
  }

  public double mae() {
    return n == 0 ? Double.NaN : sae / weight;
  }

  /** Coefficient of determination 1 - SSE / SStot; NaN when the labels are constant. */
  public double r2() {
    if (n == 0 || !(labelM2 > 0)) {
      return Double.NaN;
    }
    if (weight == n && weightSquares == n) {
      return 1.0 - sse / labelM2;
    }
    double denominator = weight - weightSquares / weight;
    return denominator > 0 ? 1.0 - sse / (labelM2 * (weight - 1) / denominator) : Double.NaN;
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
    double all = weight + o.weight;
    double delta = o.labelMean - labelMean;
    double mean = labelMean + delta * o.weight / all;
    double m2 = labelM2 + o.labelM2 + delta * delta * (weight * o.weight / all);
    return new Metrics(total, sse + o.sse, sae + o.sae, mean, m2, all,
        weightSquares + o.weightSquares);
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
    private double weight;
    private double weightSquares;

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
        weight++;
        weightSquares++;
        double d = y[i] - mean;
        mean += d / n;
        m2 += d * (y[i] - mean);
      }
      return this;
    }

    /**
     * Adds the rows of y and yhat with weights rw (none modified), from 0 to len - 1: West's
     * weighted update of the label's mean and M2; rw null adds them unweighted.
     */
    public Builder add(double[] y, double[] yhat, double[] rw, int len) {
      return add(y, yhat, rw, 0, len);
    }

    /**
     * As {@link #add(double[], double[], double[], int)}, the rows of y and yhat from {@code from}
     * to from + len - 1, row i weighing rw[i - from] (one output of a column-major n x k block).
     */
    public Builder add(double[] y, double[] yhat, double[] rw, int from, int len) {
      if (rw == null) {
        return add(y, yhat, from, len);
      }
      for (int i = from; i < from + len; i++) {
        double w = rw[i - from];
        double r = y[i] - yhat[i];
        sse += w * r * r;
        sae += w * Math.abs(r);
        n++;
        weight += w;
        weightSquares += w * w;
        if (w > 0) {
          double d = y[i] - mean;
          mean += d * w / weight;
          m2 += w * d * (y[i] - mean);
        }
      }
      return this;
    }

    public Metrics build() {
      return new Metrics(n, sse, sae, mean, m2, weight, weightSquares);
    }
  }
}
