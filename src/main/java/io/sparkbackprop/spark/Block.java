package io.sparkbackprop.spark;

import java.io.Serializable;

/**
 * A block of training rows as primitive arrays, the unit cached by Spark and fed to the BLAS kernel.
 *
 * @param n rows in the block
 * @param x n x d features, column-major: feature j of row i at {@code x[j * n + i]}
 * @param y n labels
 */
public record Block(int n, double[] x, double[] y) implements Serializable {
  public Block {
    if (n < 1 || y.length != n || x.length % n != 0) {
      throw new IllegalArgumentException("inconsistent block: n=" + n + ", x " + x.length
          + ", y " + y.length);
    }
  }

  /** Number of features d. */
  public int features() {
    return x.length / n;
  }
}
