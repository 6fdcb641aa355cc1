package io.sparkbackprop.spark;

import io.sparkbackprop.nn.FloatBlockBackprop;
import java.io.Serializable;

/**
 * A block of training rows as primitive arrays, the unit cached by Spark and fed to the kernel:
 * {@link Doubles} in double mode, {@link Floats} (half the bytes) in float mode
 * ({@link io.sparkbackprop.nn.Precision}). Features are an n x d matrix stored column-major
 * (feature j of row i at {@code x[j * n + i]}); labels an n x k matrix likewise (output k of row
 * i at {@code y[k * n + i]}; k = 1: a vector of n); row weights (weightCol) a vector of n doubles
 * in both types, or null when every row weighs 1.
 */
public sealed interface Block extends Serializable permits Block.Doubles, Block.Floats {
  /** Rows in the block. */
  int n();

  /** Number of features d. */
  int features();

  /** Feature j of row i, widened to double. */
  double feature(int i, int j);

  /** The label of row i, widened to double. */
  double label(int i);

  /** The n row weights (not to be modified), or null: every row weighs 1. */
  double[] weights();

  /** The weight of row i (1 without weights). */
  default double weight(int i) {
    return weights() == null ? 1.0 : weights()[i];
  }

  /** Number of outputs k (labels per row). */
  default int outputs() {
    return 1;
  }

  /** Rows {@code keep[0..m)} of this block, in that order, as a new block of the same type. */
  Block select(int[] keep, int m);

  /** This block in double precision (itself when it is one). */
  Doubles toDoubles();

  /**
   * @param n rows in the block
   * @param x n x d features, column-major
   * @param y n x k labels, column-major
   * @param weights n row weights, or null (every row weighs 1)
   */
  record Doubles(int n, double[] x, double[] y, double[] weights) implements Block {
    private static final long serialVersionUID = 1L;

    public Doubles {
      check(n, x.length, y.length);
      checkWeights(n, weights);
    }

    /** A block without row weights. */
    public Doubles(int n, double[] x, double[] y) {
      this(n, x, y, null);
    }

    @Override public int features() {
      return x.length / n;
    }

    @Override public double feature(int i, int j) {
      return x[j * n + i];
    }

    @Override public double label(int i) {
      return y[i];
    }

    @Override public int outputs() {
      return y.length / n;
    }

    @Override public Doubles select(int[] keep, int m) {
      int d = features();
      double[] sx = new double[m * d];
      int o = outputs();
      double[] sy = new double[m * o];
      for (int k = 0; k < m; k++) {
        for (int c = 0; c < o; c++) {
          sy[c * m + k] = y[c * n + keep[k]];
        }
        for (int j = 0; j < d; j++) {
          sx[j * m + k] = x[j * n + keep[k]];
        }
      }
      return new Doubles(m, sx, sy, selectWeights(weights, keep, m));
    }

    @Override public Doubles toDoubles() {
      return this;
    }
  }

  /**
   * @param n rows in the block
   * @param x n x d features, column-major, rounded to float
   * @param y n x k labels, column-major, rounded to float
   * @param weights n row weights in double (not rounded), or null (every row weighs 1)
   */
  record Floats(int n, float[] x, float[] y, double[] weights) implements Block {
    private static final long serialVersionUID = 1L;

    public Floats {
      check(n, x.length, y.length);
      checkWeights(n, weights);
    }

    /** A block without row weights. */
    public Floats(int n, float[] x, float[] y) {
      this(n, x, y, null);
    }

    /** The block rounded to float (its row weights stay double). */
    public static Floats of(Doubles b) {
      return new Floats(b.n(), FloatBlockBackprop.toFloat(b.x()), FloatBlockBackprop.toFloat(b.y()),
          b.weights());
    }

    @Override public int features() {
      return x.length / n;
    }

    @Override public double feature(int i, int j) {
      return x[j * n + i];
    }

    @Override public double label(int i) {
      return y[i];
    }

    @Override public int outputs() {
      return y.length / n;
    }

    @Override public Floats select(int[] keep, int m) {
      int d = features();
      float[] sx = new float[m * d];
      int o = outputs();
      float[] sy = new float[m * o];
      for (int k = 0; k < m; k++) {
        for (int c = 0; c < o; c++) {
          sy[c * m + k] = y[c * n + keep[k]];
        }
        for (int j = 0; j < d; j++) {
          sx[j * m + k] = x[j * n + keep[k]];
        }
      }
      return new Floats(m, sx, sy, selectWeights(weights, keep, m));
    }

    @Override public Doubles toDoubles() {
      return new Doubles(n, FloatBlockBackprop.toDouble(x), FloatBlockBackprop.toDouble(y),
          weights);
    }
  }

  private static void check(int n, int xLength, int yLength) {
    if (n < 1 || yLength < n || yLength % n != 0 || xLength % n != 0) {
      throw new IllegalArgumentException("inconsistent block: n=" + n + ", x " + xLength
          + ", y " + yLength);
    }
  }

  private static void checkWeights(int n, double[] weights) {
    if (weights != null && weights.length != n) {
      throw new IllegalArgumentException("inconsistent block: n=" + n + ", weights "
          + weights.length);
    }
  }

  private static double[] selectWeights(double[] weights, int[] keep, int m) {
    if (weights == null) {
      return null;
    }
    double[] out = new double[m];
    for (int k = 0; k < m; k++) {
      out[k] = weights[keep[k]];
    }
    return out;
  }
}
