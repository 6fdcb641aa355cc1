package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Forward and backward over a BLOCK of n rows at once with BLAS, for one {@link Network}.
 *
 * <p>Data layout: a block's features are an n x inputWidth matrix stored column-major (feature j
 * of row i at {@code x[j * n + i]}); its targets an n x outputWidth matrix, also column-major (a
 * plain vector of n labels for one output).
 *
 * <p>With A_0 = X and M_l, b_l layer l's weight matrix and bias (see {@link Network} for where they
 * sit in the flat array), per layer:
 * <pre>
 *   forward:   A_l = f_l(1 b_l^T + A_{l-1} M_l)                         (dgemm, n x out)
 *   output:    D_L = 2 (A_L - Y) .* f_L'(A_L);   loss += sum (Y - A_L)^2
 *   backward:  grad M_l += A_{l-1}^T D_l         (dgemm, beta = 1, straight into grad)
 *              grad b_l += D_l^T 1               (dgemv, beta = 1, stride in + 1)
 *              D_{l-1}   = (D_l M_l^T) .* f_{l-1}'(A_{l-1})              (dgemm, beta = 0)
 * </pre>
 * Scratch space is held by the instance and grows only when a larger block arrives, so a warm
 * kernel allocates nothing. One instance per thread: it is not thread-safe.
 *
 * <p>The last layer's slice of the weights and of the gradient is used through a copy with spare
 * room after it: netlib 3.0 (the BLAS of Spark 3.5) refuses a matrix whose last column is shorter
 * than its leading dimension, and the last layer's {@code (in + 1) x out} slice, read from its row
 * 1, ends where the flat array ends (every other layer's is followed by the next layer's). The
 * copies are of that one slice, {@code (in + 1) x out} values per block, and the arithmetic is the
 * same.
 */
public final class BlockBackprop implements Kernel {
  private final Network net;
  private final BLAS blas = Blas.get();
  private final ElementWise elementWise = ElementWise.get();
  private final int depth;
  private final int[] widths;
  /** acts[l]: A_l, n x widths[l], column-major; acts[0] is unused (A_0 is the caller's x). */
  private final double[][] acts;
  private double[] deltaA;
  private double[] deltaB;
  private double[] ones;
  private int capacity;
  /** The last layer's weights, then spare room (see the class comment). */
  private final double[] lastW;
  /** The last layer's gradient as it accumulates, then spare room. */
  private final double[] lastG;
  /** Start and length of the last layer's slice of the flat array. */
  private final int lastOff;
  private final int lastLen;

  public BlockBackprop(Network net) {
    this(net, 128);
  }

  public BlockBackprop(Network net, int initialRows) {
    this.net = net;
    this.depth = net.depth();
    this.widths = net.widths();
    this.acts = new double[depth + 1][];
    this.lastOff = net.offset(depth);
    this.lastLen = net.layer(depth).weightCount();
    this.lastW = new double[lastLen + net.layer(depth).in() + 1];
    this.lastG = new double[lastLen + net.layer(depth).in() + 1];
    ensureCapacity(Math.max(1, initialRows));
  }

  public Network network() {
    return net;
  }

  private void ensureCapacity(int n) {
    if (n <= capacity) {
      return;
    }
    for (int l = 1; l <= depth; l++) {
      acts[l] = new double[n * widths[l]];
    }
    deltaA = new double[n * net.maxWidth()];
    deltaB = new double[n * net.maxWidth()];
    ones = new double[n];
    java.util.Arrays.fill(ones, 1.0);
    capacity = n;
  }

  /**
   * Forward pass of n rows; returns the buffer holding A_L (n x outputWidth, column-major,
   * leading dimension n). The buffer is internal scratch: read it before the next call.
   *
   * @param w flat weights (not modified)
   * @param x n x inputWidth features, column-major (not modified)
   */
  public double[] forward(double[] w, double[] x, int n) {
    ensureCapacity(n);
    System.arraycopy(w, lastOff, lastW, 0, lastLen);
    double[] in = x;
    for (int l = 1; l <= depth; l++) {
      int k = widths[l - 1];
      int m = widths[l];
      double[] wl = l == depth ? lastW : w;
      int off = l == depth ? 0 : net.offset(l);
      double[] out = acts[l];
      // Z = 1 b^T, then Z += A_{l-1} M_l: each column starts as its unit's bias.
      for (int to = 0; to < m; to++) {
        java.util.Arrays.fill(out, to * n, (to + 1) * n, wl[off + to * (k + 1)]);
      }
      blas.dgemm("N", "N", n, m, k, 1.0, in, 0, n, wl, off + 1, k + 1, 1.0, out, 0, n);
      elementWise.activate(net.layer(l).activation(), out, n * m);
      in = out;
    }
    return acts[depth];
  }

  /**
   * Predictions for n rows, written to {@code out} (n x outputWidth, column-major).
   *
   * @param out Modified: overwritten
   */
  public void predict(double[] w, double[] x, int n, double[] out) {
    double[] a = forward(w, x, n);
    System.arraycopy(a, 0, out, 0, n * widths[depth]);
  }

  /**
   * Loss sum of n rows, and their gradient sum ADDED into {@code grad}.
   *
   * @param w flat weights (not modified)
   * @param x n x inputWidth features, column-major (not modified)
   * @param y n x outputWidth targets, column-major (not modified)
   * @param n rows in the block
   * @param grad Modified: += sum over rows of dL/dw (length {@link Network#size()})
   * @return sum over the n rows of (y - yhat)^2
   */
  public double lossAndGradient(double[] w, double[] x, double[] y, int n, double[] grad) {
    if (n == 0) {
      return 0.0;
    }
    forward(w, x, n);
    System.arraycopy(grad, lastOff, lastG, 0, lastLen);
    int outW = widths[depth];
    double[] aL = acts[depth];
    double[] d = deltaA;
    Activation fL = net.layer(depth).activation();
    double loss = 0.0;
    // Fused: residual, loss and output delta in one pass. dL/dyhat = -2 (y - yhat).
    for (int i = 0, len = n * outW; i < len; i++) {
      double yhat = aL[i];
      double r = y[i] - yhat;
      loss += r * r;
      d[i] = -2.0 * r * fL.derivativeFromOutput(yhat);
    }
    for (int l = depth; l >= 1; l--) {
      int k = widths[l - 1];
      int m = widths[l];
      double[] wl = l == depth ? lastW : w;
      double[] gl = l == depth ? lastG : grad;
      int off = l == depth ? 0 : net.offset(l);
      double[] prev = l == 1 ? x : acts[l - 1];
      // grad M_l += A_{l-1}^T D_l  (k x m, leading dimension k + 1, after each bias)
      blas.dgemm("T", "N", k, m, n, 1.0, prev, 0, n, d, 0, n, 1.0, gl, off + 1, k + 1);
      // grad b_l += D_l^T 1  (m values, stride k + 1)
      blas.dgemv("T", n, m, 1.0, d, 0, n, ones, 0, 1, 1.0, gl, off, k + 1);
      if (l > 1) {
        double[] dPrev = d == deltaA ? deltaB : deltaA;
        // D_{l-1} = D_l M_l^T  (n x k), then .* f'(A_{l-1})
        blas.dgemm("N", "T", n, k, m, 1.0, d, 0, n, wl, off + 1, k + 1, 0.0, dPrev, 0, n);
        elementWise.multiplyByDerivative(net.layer(l - 1).activation(), prev, dPrev, n * k);
        d = dPrev;
      }
    }
    System.arraycopy(lastG, 0, grad, lastOff, lastLen);
    return loss;
  }
}
