package io.sparkbackprop.nn;

import java.lang.reflect.Array;

/**
 * The layer loop over a BLOCK of n rows, written once for both element types: {@code A} is
 * {@code double[]} ({@link BlockBackprop}: dgemm/dgemv) or {@code float[]}
 * ({@link FloatBlockBackprop}: sgemm/sgemv). A subclass supplies only the primitives (one BLAS
 * call, one element-wise pass, one fill each); every call is per layer and per block, so their
 * dispatch costs nothing next to the arithmetic inside them.
 *
 * <p>Data layout: a block's features are an n x inputWidth matrix stored column-major (feature j
 * of row i at {@code x[j * n + i]}); its targets an n x outputWidth matrix, also column-major (a
 * plain vector of n labels for one output).
 *
 * <p>With A_0 = X and M_l, b_l layer l's weight matrix and bias (see {@link Network} for where they
 * sit in the flat array), per layer:
 * <pre>
 *   forward:   A_l = f_l(1 b_l^T + A_{l-1} M_l)                         (gemm, n x out)
 *   output:    D_L = 2 (A_L - Y) .* f_L'(A_L);   loss += sum (Y - A_L)^2
 *   backward:  grad M_l += A_{l-1}^T D_l         (gemm, beta = 1, straight into grad)
 *              grad b_l += D_l^T 1               (gemv, beta = 1, stride in + 1)
 *              D_{l-1}   = (D_l M_l^T) .* f_{l-1}'(A_{l-1})              (gemm, beta = 0)
 * </pre>
 * The loss is summed in double in both element types. Scratch space is held by the instance and
 * grows only when a larger block arrives, so a warm kernel allocates nothing. One instance per
 * thread: it is not thread-safe.
 *
 * <p>The last layer's slice of the weights and of the gradient is used through a copy with spare
 * room after it: netlib 3.0 (the BLAS of Spark 3.5) refuses a matrix whose last column is shorter
 * than its leading dimension, and the last layer's {@code (in + 1) x out} slice, read from its row
 * 1, ends where the flat array ends (every other layer's is followed by the next layer's). The
 * copies are of that one slice, {@code (in + 1) x out} values per block, and the arithmetic is the
 * same.
 *
 * @param <A> the array type of weights, data and scratch: {@code double[]} or {@code float[]}
 */
abstract class BlockKernel<A> {
  protected final Network net;
  private final int depth;
  private final int[] widths;
  /** acts[l]: A_l, n x widths[l], column-major; acts[0] is unused (A_0 is the caller's x). */
  private final A[] acts;
  private A deltaA;
  private A deltaB;
  private A ones;
  private int capacity;
  /** The last layer's weights, then spare room (see the class comment). */
  private final A lastW;
  /** The last layer's gradient as it accumulates, then spare room. */
  private final A lastG;
  /** Start and length of the last layer's slice of the flat array. */
  private final int lastOff;
  private final int lastLen;

  @SuppressWarnings("unchecked")
  BlockKernel(Network net, int initialRows, Class<A> arrayType) {
    this.net = net;
    this.depth = net.depth();
    this.widths = net.widths();
    this.acts = (A[]) Array.newInstance(arrayType, depth + 1);
    this.lastOff = net.offset(depth);
    this.lastLen = net.layer(depth).weightCount();
    this.lastW = alloc(lastLen + net.layer(depth).in() + 1);
    this.lastG = alloc(lastLen + net.layer(depth).in() + 1);
    ensureCapacity(Math.max(1, initialRows));
  }

  // ---- the primitives of one element type ----

  abstract A alloc(int length);

  /** a[from, to) = v. */
  abstract void fill(A a, int from, int to, double v);

  /** a[i], widened to double. */
  abstract double get(A a, int i);

  /** C = op(A) op(B) + beta C (alpha 1), column-major, as BLAS gemm. */
  abstract void gemm(String transA, String transB, int m, int n, int k, A a, int offA, int lda,
      A b, int offB, int ldb, double beta, A c, int offC, int ldc);

  /** y = op(A) x + beta y (alpha 1), as BLAS gemv. */
  abstract void gemv(String trans, int m, int n, A a, int offA, int lda, A x, int offX, int incX,
      double beta, A y, int offY, int incY);

  /** z[i] = f(z[i]) for i in [0, len). */
  abstract void activate(Activation f, A z, int len);

  /** d[i] *= f'(z_i), given a[i] = f(z_i), for i in [0, len). */
  abstract void multiplyByDerivative(Activation f, A a, A d, int len);

  /**
   * The output layer's delta from its activations, fused with the loss: for i in [0, len),
   * r = y[i] - yhat[i], d[i] = -2 r f'(yhat[i]) (dL/dyhat = -2 (y - yhat)); returns sum r^2,
   * accumulated in double.
   */
  abstract double outputDelta(Activation f, A yhat, A y, A d, int len);

  /**
   * Row weights on the output delta: d[t * n + i] *= rw[i] for every output t; returns
   * sum_i rw[i] sum_t (y - yhat)^2, accumulated in double.
   */
  abstract double weightRows(A yhat, A y, double[] rw, A d, int n, int outputs);

  // ---- the layer loop ----

  public Network network() {
    return net;
  }

  private void ensureCapacity(int n) {
    if (n <= capacity) {
      return;
    }
    for (int l = 1; l <= depth; l++) {
      acts[l] = alloc(n * widths[l]);
    }
    deltaA = alloc(n * net.maxWidth());
    deltaB = alloc(n * net.maxWidth());
    ones = alloc(n);
    fill(ones, 0, n, 1.0);
    capacity = n;
  }

  /**
   * Forward pass of n rows; returns the buffer holding A_L (n x outputWidth, column-major,
   * leading dimension n). The buffer is internal scratch: read it before the next call.
   *
   * @param w flat weights (not modified)
   * @param x n x inputWidth features, column-major (not modified)
   */
  public A forward(A w, A x, int n) {
    ensureCapacity(n);
    System.arraycopy(w, lastOff, lastW, 0, lastLen);
    A in = x;
    for (int l = 1; l <= depth; l++) {
      int k = widths[l - 1];
      int m = widths[l];
      A wl = l == depth ? lastW : w;
      int off = l == depth ? 0 : net.offset(l);
      A out = acts[l];
      // Z = 1 b^T, then Z += A_{l-1} M_l: each column starts as its unit's bias.
      for (int to = 0; to < m; to++) {
        fill(out, to * n, (to + 1) * n, get(wl, off + to * (k + 1)));
      }
      gemm("N", "N", n, m, k, in, 0, n, wl, off + 1, k + 1, 1.0, out, 0, n);
      activate(net.layer(l).activation(), out, n * m);
      in = out;
    }
    return acts[depth];
  }

  /**
   * Predictions for n rows, written to {@code out} (n x outputWidth, column-major).
   *
   * @param out Modified: overwritten
   */
  public void predict(A w, A x, int n, A out) {
    A a = forward(w, x, n);
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
  public double lossAndGradient(A w, A x, A y, int n, A grad) {
    return lossAndGradient(w, x, y, null, n, grad);
  }

  /**
   * Weighted: the sum over rows of rw[i] L_i, and of rw[i] dL_i/dw ADDED into {@code grad} (the
   * output delta of row i is multiplied by rw[i] before the backward pass). rw null: unweighted,
   * the bits of {@link #lossAndGradient(Object, Object, Object, int, Object)}.
   *
   * @param rw n row weights (not modified), or null
   */
  public double lossAndGradient(A w, A x, A y, double[] rw, int n, A grad) {
    if (n == 0) {
      return 0.0;
    }
    forward(w, x, n);
    System.arraycopy(grad, lastOff, lastG, 0, lastLen);
    A d = deltaA;
    double loss = outputDelta(net.layer(depth).activation(), acts[depth], y, d,
        n * widths[depth]);
    if (rw != null) {
      loss = weightRows(acts[depth], y, rw, d, n, widths[depth]);
    }
    for (int l = depth; l >= 1; l--) {
      int k = widths[l - 1];
      int m = widths[l];
      A wl = l == depth ? lastW : w;
      A gl = l == depth ? lastG : grad;
      int off = l == depth ? 0 : net.offset(l);
      A prev = l == 1 ? x : acts[l - 1];
      // grad M_l += A_{l-1}^T D_l  (k x m, leading dimension k + 1, after each bias)
      gemm("T", "N", k, m, n, prev, 0, n, d, 0, n, 1.0, gl, off + 1, k + 1);
      // grad b_l += D_l^T 1  (m values, stride k + 1)
      gemv("T", n, m, d, 0, n, ones, 0, 1, 1.0, gl, off, k + 1);
      if (l > 1) {
        A dPrev = d == deltaA ? deltaB : deltaA;
        // D_{l-1} = D_l M_l^T  (n x k), then .* f'(A_{l-1})
        gemm("N", "T", n, k, m, d, 0, n, wl, off + 1, k + 1, 0.0, dPrev, 0, n);
        multiplyByDerivative(net.layer(l - 1).activation(), prev, dPrev, n * k);
        d = dPrev;
      }
    }
    System.arraycopy(lastG, 0, grad, lastOff, lastLen);
    return loss;
  }
}
