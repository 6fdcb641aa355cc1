package io.sparkbackprop.nn;

/**
 * Forward and backward over a BLOCK of n rows, for one {@link Network}: what the executors call.
 * Two implementations, chosen by {@link Kernels#forNetwork}: {@link BlockBackprop} (BLAS products
 * over the whole block, for any width) and {@link NarrowBackprop} (plain loops over strips of
 * rows, for networks whose layers after the input are all narrow).
 *
 * <p>Conventions, the same for every implementation: a block's features are an n x inputWidth
 * matrix stored column-major (feature j of row i at {@code x[j * n + i]}), its targets an
 * n x outputWidth matrix, also column-major; weights are laid out as in {@link Network}. The loss
 * of a row is {@code sum_k (y_k - yhat_k)^2}, so dL/dyhat = {@code -2 (y - yhat)} (see
 * {@link SquaredError}); a block returns SUMS over its rows, never means. An instance holds
 * scratch space that grows with the largest block seen, so it is for one thread at a time.
 */
public interface Kernel {
  /** The network this kernel computes. */
  Network network();

  /**
   * Forward pass of n rows; returns the buffer holding A_L (n x outputWidth, column-major,
   * leading dimension n). The buffer is internal scratch: read it before the next call.
   *
   * @param w flat weights (not modified)
   * @param x n x inputWidth features, column-major (not modified)
   */
  double[] forward(double[] w, double[] x, int n);

  /**
   * Predictions for n rows, written to {@code out} (n x outputWidth, column-major).
   *
   * @param w flat weights (not modified)
   * @param x n x inputWidth features, column-major (not modified)
   * @param out Modified: its first n x outputWidth values overwritten, nothing after them
   */
  void predict(double[] w, double[] x, int n, double[] out);

  /**
   * Loss sum of n rows, and their gradient sum ADDED into {@code grad}.
   *
   * @param w flat weights (not modified)
   * @param x n x inputWidth features, column-major (not modified)
   * @param y n x outputWidth targets, column-major (not modified)
   * @param n rows in the block (0: nothing is added, the loss is 0)
   * @param grad Modified: += sum over rows of dL/dw (length {@link Network#size()})
   * @return sum over the n rows of (y - yhat)^2
   */
  double lossAndGradient(double[] w, double[] x, double[] y, int n, double[] grad);

  /**
   * Weighted loss sum {@code sum_i rw[i] L_i} of n rows, and {@code sum_i rw[i] dL_i/dw} ADDED
   * into {@code grad} (row weights, weightCol). rw null: {@link #lossAndGradient(double[],
   * double[], double[], int, double[])}.
   *
   * @param rw n row weights (not modified), or null
   */
  double lossAndGradient(double[] w, double[] x, double[] y, double[] rw, int n, double[] grad);
}
