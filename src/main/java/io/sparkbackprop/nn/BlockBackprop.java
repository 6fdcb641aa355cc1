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
 * <p>Small layers. When a layer has at most {@link #SMALL_LAYER} weights (in x out, biases apart),
 * its three products are plain Java loops over the block's columns instead of BLAS calls: for a
 * 10-2-2-1 network a BLAS call does a few hundred FLOP, and the call itself (JNI, argument checks)
 * costs more than that. The loops compute the same sums, in another order. Activations and their
 * derivatives are applied in loops specialised per activation (no virtual call per element); in a
 * small layer they are fused into the product's pass over each column.
 */
public final class BlockBackprop {
  /** Layers with at most this many weights (in x out) use Java loops, not BLAS; see above. */
  public static final int SMALL_LAYER = 64;

  private final Network net;
  private final int smallLayer;
  private final BLAS blas = Blas.get();
  private final int depth;
  private final int[] widths;
  /** acts[l]: A_l, n x widths[l], column-major; acts[0] is unused (A_0 is the caller's x). */
  private final double[][] acts;
  private double[] deltaA;
  private double[] deltaB;
  private double[] ones;
  private int capacity;

  public BlockBackprop(Network net) {
    this(net, 128);
  }

  public BlockBackprop(Network net, int initialRows) {
    this(net, initialRows, SMALL_LAYER);
  }

  /**
   * @param smallLayer layers with at most this many weights use Java loops instead of BLAS
   *     (0: BLAS for every layer; {@link Integer#MAX_VALUE}: loops for every layer)
   */
  public BlockBackprop(Network net, int initialRows, int smallLayer) {
    this.net = net;
    this.smallLayer = smallLayer;
    this.depth = net.depth();
    this.widths = net.widths();
    this.acts = new double[depth + 1][];
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
    double[] in = x;
    for (int l = 1; l <= depth; l++) {
      int k = widths[l - 1];
      int m = widths[l];
      int off = net.offset(l);
      double[] out = acts[l];
      Activation f = net.layer(l).activation();
      if (small(k, m)) {
        // Column by column: z = b + sum_from a_from * M[from][to], then f, while it is in cache.
        for (int to = 0; to < m; to++) {
          int col = off + to * (k + 1);
          int o = to * n;
          double b = w[col];
          double m0 = w[col + 1];
          for (int i = 0; i < n; i++) {
            out[o + i] = b + in[i] * m0;
          }
          for (int from = 1; from < k; from++) {
            double mf = w[col + 1 + from];
            int p = from * n;
            for (int i = 0; i < n; i++) {
              out[o + i] += in[p + i] * mf;
            }
          }
          activate(f, out, o, n);
        }
      } else {
        // Z = 1 b^T, then Z += A_{l-1} M_l: each column starts as its unit's bias.
        for (int to = 0; to < m; to++) {
          java.util.Arrays.fill(out, to * n, (to + 1) * n, w[off + to * (k + 1)]);
        }
        blas.dgemm("N", "N", n, m, k, 1.0, in, 0, n, w, off + 1, k + 1, 1.0, out, 0, n);
        activate(f, out, 0, n * m);
      }
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
    int outW = widths[depth];
    double[] aL = acts[depth];
    double[] d = deltaA;
    Activation fL = net.layer(depth).activation();
    double loss = 0.0;
    // Fused: residual, loss and output delta in one pass. dL/dyhat = -2 (y - yhat).
    int len = n * outW;
    for (int i = 0; i < len; i++) {
      double r = y[i] - aL[i];
      loss += r * r;
      d[i] = -2.0 * r;
    }
    timesDerivative(fL, d, aL, 0, len);
    for (int l = depth; l >= 1; l--) {
      int k = widths[l - 1];
      int m = widths[l];
      int off = net.offset(l);
      double[] prev = l == 1 ? x : acts[l - 1];
      double[] dPrev = l > 1 ? (d == deltaA ? deltaB : deltaA) : null;
      Activation fPrev = l > 1 ? net.layer(l - 1).activation() : null;
      if (small(k, m)) {
        for (int to = 0; to < m; to++) {
          int col = off + to * (k + 1);
          int o = to * n;
          // grad b_l[to] += sum_i D[i][to];  grad M_l[from][to] += sum_i A_{l-1}[i][from] D[i][to]
          grad[col] += sum(d, o, n);
          for (int from = 0; from < k; from++) {
            grad[col + 1 + from] += dot(prev, from * n, d, o, n);
          }
        }
        if (l > 1) {
          // D_{l-1}[i][from] = (sum_to D[i][to] M_l[from][to]) * f'(A_{l-1}[i][from])
          for (int from = 0; from < k; from++) {
            int p = from * n;
            double m0 = w[off + 1 + from];
            for (int i = 0; i < n; i++) {
              dPrev[p + i] = d[i] * m0;
            }
            for (int to = 1; to < m; to++) {
              double mt = w[off + to * (k + 1) + 1 + from];
              int o = to * n;
              for (int i = 0; i < n; i++) {
                dPrev[p + i] += d[o + i] * mt;
              }
            }
            timesDerivative(fPrev, dPrev, prev, p, n);
          }
        }
      } else {
        // grad M_l += A_{l-1}^T D_l  (k x m, leading dimension k + 1, after each bias)
        blas.dgemm("T", "N", k, m, n, 1.0, prev, 0, n, d, 0, n, 1.0, grad, off + 1, k + 1);
        // grad b_l += D_l^T 1  (m values, stride k + 1)
        blas.dgemv("T", n, m, 1.0, d, 0, n, ones, 0, 1, 1.0, grad, off, k + 1);
        if (l > 1) {
          // D_{l-1} = D_l M_l^T  (n x k), then .* f'(A_{l-1})
          blas.dgemm("N", "T", n, k, m, 1.0, d, 0, n, w, off + 1, k + 1, 0.0, dPrev, 0, n);
          timesDerivative(fPrev, dPrev, prev, 0, n * k);
        }
      }
      if (l > 1) {
        d = dPrev;
      }
    }
    return loss;
  }

  private boolean small(int k, int m) {
    return (long) k * m <= smallLayer;
  }

  /** z[from, from + len) = f(z), element-wise. Modified: z. */
  private static void activate(Activation f, double[] z, int from, int len) {
    int end = from + len;
    switch (f) {
      case IDENTITY -> { }
      case RELU -> {
        for (int i = from; i < end; i++) {
          z[i] = z[i] > 0 ? z[i] : 0.0;
        }
      }
      case SIGMOID -> {
        for (int i = from; i < end; i++) {
          z[i] = sigmoid(z[i]);
        }
      }
      case TANH -> {
        for (int i = from; i < end; i++) {
          z[i] = Math.tanh(z[i]);
        }
      }
    }
  }

  /** The same formula as {@link Activation#SIGMOID}, so that both give the same bits. */
  private static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }

  /**
   * d[i] *= f'(a[i]) for i in [from, from + len), the derivative taken from the activation's
   * output a (see {@link Activation}). Modified: d. Not modified: a.
   */
  private static void timesDerivative(Activation f, double[] d, double[] a, int from, int len) {
    int end = from + len;
    switch (f) {
      case IDENTITY -> { }
      case RELU -> {
        for (int i = from; i < end; i++) {
          d[i] = a[i] > 0 ? d[i] : 0.0;
        }
      }
      case SIGMOID -> {
        for (int i = from; i < end; i++) {
          d[i] *= a[i] * (1.0 - a[i]);
        }
      }
      case TANH -> {
        for (int i = from; i < end; i++) {
          d[i] *= 1.0 - a[i] * a[i];
        }
      }
    }
  }

  /** sum of v[from, from + n), four partial sums. */
  private static double sum(double[] v, int from, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += v[from + i];
      s1 += v[from + i + 1];
      s2 += v[from + i + 2];
      s3 += v[from + i + 3];
    }
    for (; i < n; i++) {
      s0 += v[from + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** sum_i a[pa + i] * b[pb + i] for i in [0, n), four partial sums. */
  private static double dot(double[] a, int pa, double[] b, int pb, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[pa + i] * b[pb + i];
      s1 += a[pa + i + 1] * b[pb + i + 1];
      s2 += a[pa + i + 2] * b[pb + i + 2];
      s3 += a[pa + i + 3] * b[pb + i + 3];
    }
    for (; i < n; i++) {
      s0 += a[pa + i] * b[pb + i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
