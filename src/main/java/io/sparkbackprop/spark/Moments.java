package io.sparkbackprop.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Count, mean, M2 = sum (x - mean)^2, least and greatest value of each of d + k columns (the
 * k labels last). Column j's mean and M2 are kept in units of 2^e[j] and 4^e[j], e[j] the binary
 * exponent of its largest |x| so far, so that neither underflows: a column of subnormal values
 * (around 1e-310) has a variance far below the least double, yet a spread. Scaling by a power of
 * two is exact, so for values whose raw moments neither underflow nor overflow the results are
 * those of plain Welford to the bit.
 */
final class Moments implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The exponent of a column that has held only zeros: below any double's. */
  private static final int NONE = -1100;
  long n;
  /** W, the sum of the rows' weights (n without weights). */
  double weight;
  /** Scaled: the mean is mean[j] * 2^e[j]. */
  final double[] mean;
  /** Scaled: M2 is m2[j] * 4^e[j]. */
  final double[] m2;
  final int[] e;
  final double[] min;
  final double[] max;

  Moments(int width) {
    mean = new double[width];
    m2 = new double[width];
    e = new int[width];
    min = new double[width];
    max = new double[width];
    Arrays.fill(e, NONE);
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  /**
   * West's weighted update with row v (not modified) of weight w > 0: W += w,
   * mean += (x - mean) w / W, M2 += w (x - mean_old)(x - mean_new); for w = 1, Welford's.
   */
  void add(double[] v, double w) {
    n++;
    weight += w;
    for (int j = 0; j < mean.length; j++) {
      min[j] = Math.min(min[j], v[j]);
      max[j] = Math.max(max[j], v[j]);
      if (v[j] != 0) {
        rescale(j, exponent(v[j]));
      }
      double x = Math.scalb(v[j], -e[j]);
      double delta = x - mean[j];
      mean[j] += delta * w / weight;
      m2[j] += w * delta * (x - mean[j]);
    }
  }

  /** Raises column j's unit to 2^to when to is above it. */
  private void rescale(int j, int to) {
    if (to > e[j]) {
      mean[j] = Math.scalb(mean[j], e[j] - to);
      m2[j] = Math.scalb(m2[j], 2 * (e[j] - to));
      e[j] = to;
    }
  }

  /** The binary exponent of x != 0, also of a subnormal x (Math.getExponent gives -1023). */
  static int exponent(double x) {
    int k = Math.getExponent(x);
    return k >= Double.MIN_EXPONENT ? k : Math.getExponent(x * 0x1p54) - 54;
  }

  /** this += o, by Chan, Golub and LeVeque's pairwise formula. */
  void merge(Moments o) {
    if (o.n == 0) {
      return;
    }
    double total = weight + o.weight;
    for (int j = 0; j < mean.length; j++) {
      min[j] = Math.min(min[j], o.min[j]);
      max[j] = Math.max(max[j], o.max[j]);
      rescale(j, o.e[j]);
      double om = Math.scalb(o.mean[j], o.e[j] - e[j]);
      double delta = om - mean[j];
      mean[j] += delta * o.weight / total;
      m2[j] += Math.scalb(o.m2[j], 2 * (o.e[j] - e[j])) + delta * delta
          * (weight * o.weight / total);
    }
    n += o.n;
    weight = total;
  }

  /** The mean of column j. */
  double mean(int j) {
    return Math.scalb(mean[j], e[j]);
  }

  /** M2 of column j (infinite when it overflows a double, 0 when it underflows). */
  double m2(int j) {
    return Math.scalb(m2[j], 2 * e[j]);
  }

  /**
   * The (weighted) population standard deviation of column j, sqrt(M2 / W) (subnormal for a
   * subnormal column).
   */
  double sd(int j) {
    return n == 0 ? 0.0 : Math.scalb(Math.sqrt(m2[j] / weight), e[j]);
  }

  /** Whether column j holds one value only (and no rows is constant too). */
  boolean constant(int j) {
    return n == 0 || min[j] == max[j];
  }
}
