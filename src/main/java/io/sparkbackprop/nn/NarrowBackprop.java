package io.sparkbackprop.nn;

/**
 * Forward and backward over a block of n rows without BLAS, for networks whose layers after the
 * input are all narrow (see {@link Kernels}): plain loops along the ROWS, the long dimension, with
 * each weight held in a local, so that every inner loop is a stream over contiguous doubles that
 * C2 compiles to SIMD code (axpy-like loops) or to four independent accumulators (dot products).
 * Same conventions and results as {@link BlockBackprop} (see {@link Kernel}).
 *
 * <p>The block is processed in strips of {@link #DEFAULT_STRIP} rows (the last one shorter). Per
 * strip, with {@code a_0 = x} (the strip's rows of the block's columns) and layer l's unit t having
 * bias {@code b_t} and weights {@code w_jt}, every layer's activations and deltas are computed
 * before the next strip, so they stay in L1:
 * <pre>
 *   forward, l = 1..L, unit t:   z_t[i] = b_t + sum_j w_jt a_{l-1,j}[i];  a_l = f_l(z) (whole strip)
 *   output:                      d_t[i] = -2 (y_t[i] - a_L,t[i]);  loss += sum_i d_t[i]^2 / 4;
 *                                d .*= f_L'(a_L)
 *   backward, l = L..1, unit t:  grad b_t += sum_i d_t[i];  grad w_jt += sum_i a_{l-1,j}[i] d_t[i]
 *   below, input j of layer l:   d'_j[i] = sum_t w_jt d_t[i];  d' .*= f_{l-1}'(a_{l-1})
 * </pre>
 * The input sums run in the row reference's order (bias first, then the inputs in order), so
 * pre-activations equal {@link RowBackprop}'s bit for bit; the sums over rows of a strip use four
 * partial sums. Activations and derivatives go through {@link ElementWise} (the SIMD sigmoid and
 * tanh when the Vector API is loaded). Scratch space does not depend on n except {@link #forward}'s
 * output; a warm kernel allocates nothing. One instance per thread: it is not thread-safe.
 */
public final class NarrowBackprop implements Kernel {
  /**
   * Rows per strip. Measured with {@code jobs/bench-kernel}-like runs of 10-2-2-1 and 10-8-8-1 at
   * strips of 32..1024 (see docs/benchmarks.md): flat from 64 to 256.
   */
  static final int DEFAULT_STRIP = 128;

  private final Network net;
  private final ElementWise elementWise = ElementWise.get();
  private final int depth;
  private final int[] widths;
  /** offsets[l]: start of layer l's slice of the flat weights (l = 1..L). */
  private final int[] offsets;
  private final Activation[] f;
  private final int strip;
  /** acts[l]: layer l's activations of the current strip of s rows, unit t at [t * s, t * s + s). */
  private final double[][] acts;
  /** Deltas of the current layer and of the one below, laid out as acts. */
  private final double[] deltaA;
  private final double[] deltaB;
  /** {@link #forward}'s result, n x outputWidth. */
  private double[] out;

  public NarrowBackprop(Network net, int initialRows) {
    this(net, initialRows, DEFAULT_STRIP);
  }

  /** With {@code strip} rows per strip (benchmarks and tests). */
  NarrowBackprop(Network net, int initialRows, int strip) {
    if (strip < 1) {
      throw new IllegalArgumentException("strip must be at least 1 row, got " + strip);
    }
    this.net = net;
    this.depth = net.depth();
    this.widths = net.widths();
    this.strip = strip;
    this.offsets = new int[depth + 1];
    this.f = new Activation[depth + 1];
    this.acts = new double[depth + 1][];
    int maxOut = 0;
    for (int l = 1; l <= depth; l++) {
      offsets[l] = net.offset(l);
      f[l] = net.layer(l).activation();
      acts[l] = new double[strip * widths[l]];
      maxOut = Math.max(maxOut, widths[l]);
    }
    this.deltaA = new double[strip * maxOut];
    this.deltaB = new double[strip * maxOut];
    this.out = new double[Math.max(1, initialRows) * widths[depth]];
  }

  @Override public Network network() {
    return net;
  }

  @Override public double[] forward(double[] w, double[] x, int n) {
    int outW = widths[depth];
    if (out.length < n * outW) {
      out = new double[n * outW];
    }
    predict(w, x, n, out);
    return out;
  }

  @Override public void predict(double[] w, double[] x, int n, double[] yhat) {
    int outW = widths[depth];
    for (int s0 = 0; s0 < n; s0 += strip) {
      int s = Math.min(strip, n - s0);
      forwardStrip(w, x, n, s0, s);
      double[] aL = acts[depth];
      for (int t = 0; t < outW; t++) {
        System.arraycopy(aL, t * s, yhat, t * n + s0, s);
      }
    }
  }

  @Override public double lossAndGradient(double[] w, double[] x, double[] y, int n,
      double[] grad) {
    double loss = 0.0;
    for (int s0 = 0; s0 < n; s0 += strip) {
      int s = Math.min(strip, n - s0);
      forwardStrip(w, x, n, s0, s);
      loss += backwardStrip(w, x, y, n, s0, s, grad);
    }
    return loss;
  }

  /** acts[1..L] of rows [s0, s0 + s) of the block. */
  private void forwardStrip(double[] w, double[] x, int n, int s0, int s) {
    for (int l = 1; l <= depth; l++) {
      int k = widths[l - 1];
      int m = widths[l];
      double[] in = l == 1 ? x : acts[l - 1];
      int base = l == 1 ? s0 : 0;
      int stride = l == 1 ? n : s;
      double[] z = acts[l];
      for (int t = 0; t < m; t++) {
        int wt = offsets[l] + t * (k + 1);
        int zo = t * s;
        // z = b + w_1 a_1, then + w_j a_j + w_{j+1} a_{j+1} per pass: the row reference's order.
        affine(z, zo, w[wt], w[wt + 1], in, base, s);
        int j = 1;
        for (; j + 1 < k; j += 2) {
          axpy2(z, zo, w[wt + 1 + j], in, base + j * stride, w[wt + 2 + j],
              base + (j + 1) * stride, s);
        }
        if (j < k) {
          axpy(z, zo, w[wt + 1 + j], in, base + j * stride, s);
        }
      }
      elementWise.activate(f[l], z, s * m);
    }
  }

  /** Loss of the strip's rows; their gradient added into grad. After {@link #forwardStrip}. */
  private double backwardStrip(double[] w, double[] x, double[] y, int n, int s0, int s,
      double[] grad) {
    int outW = widths[depth];
    double[] aL = acts[depth];
    double[] d = deltaA;
    // dL/dyhat = -2 (y - yhat); (y - yhat)^2 = d^2 / 4 exactly (scaling by 2 is exact).
    for (int t = 0; t < outW; t++) {
      residual(d, t * s, y, t * n + s0, aL, s);
    }
    double loss = 0.25 * dot(d, 0, d, 0, s * outW);
    elementWise.multiplyByDerivative(f[depth], aL, d, s * outW);
    for (int l = depth; l >= 1; l--) {
      int k = widths[l - 1];
      int m = widths[l];
      double[] in = l == 1 ? x : acts[l - 1];
      int base = l == 1 ? s0 : 0;
      int stride = l == 1 ? n : s;
      for (int t = 0; t < m; t++) {
        int wt = offsets[l] + t * (k + 1);
        int dt = t * s;
        grad[wt] += sum(d, dt, s);
        for (int j = 0; j < k; j++) {
          grad[wt + 1 + j] += dot(in, base + j * stride, d, dt, s);
        }
      }
      if (l > 1) {
        double[] below = d == deltaA ? deltaB : deltaA;
        // d'_j = sum_t w_jt d_t, t in order (the row reference's order), then .* f'(a_{l-1}).
        for (int j = 0; j < k; j++) {
          int wj = offsets[l] + 1 + j;
          scale(below, j * s, w[wj], d, 0, s);
          for (int t = 1; t < m; t++) {
            axpy(below, j * s, w[wj + t * (k + 1)], d, t * s, s);
          }
        }
        elementWise.multiplyByDerivative(f[l - 1], acts[l - 1], below, s * k);
        d = below;
      }
    }
    return loss;
  }

  /** z[zo + i] = b + w * a[ao + i], i in [0, s). */
  private static void affine(double[] z, int zo, double b, double w, double[] a, int ao, int s) {
    for (int i = 0; i < s; i++) {
      z[zo + i] = b + w * a[ao + i];
    }
  }

  /** z[zo + i] = z[zo + i] + w * a[ao + i] + v * a[bo + i], left to right, i in [0, s). */
  private static void axpy2(double[] z, int zo, double w, double[] a, int ao, double v, int bo,
      int s) {
    for (int i = 0; i < s; i++) {
      z[zo + i] = z[zo + i] + w * a[ao + i] + v * a[bo + i];
    }
  }

  /** z[zo + i] += w * a[ao + i], i in [0, s). */
  private static void axpy(double[] z, int zo, double w, double[] a, int ao, int s) {
    for (int i = 0; i < s; i++) {
      z[zo + i] += w * a[ao + i];
    }
  }

  /** z[zo + i] = w * a[ao + i], i in [0, s). */
  private static void scale(double[] z, int zo, double w, double[] a, int ao, int s) {
    for (int i = 0; i < s; i++) {
      z[zo + i] = w * a[ao + i];
    }
  }

  /** d[do + i] = -2 (y[yo + i] - a[do + i]), i in [0, s). */
  private static void residual(double[] d, int dof, double[] y, int yo, double[] a, int s) {
    for (int i = 0; i < s; i++) {
      d[dof + i] = -2.0 * (y[yo + i] - a[dof + i]);
    }
  }

  /** sum_i a[ao + i] b[bo + i], i in [0, s), in four partial sums (independent add chains). */
  private static double dot(double[] a, int ao, double[] b, int bo, int s) {
    double p0 = 0.0;
    double p1 = 0.0;
    double p2 = 0.0;
    double p3 = 0.0;
    int i = 0;
    for (; i + 3 < s; i += 4) {
      p0 += a[ao + i] * b[bo + i];
      p1 += a[ao + i + 1] * b[bo + i + 1];
      p2 += a[ao + i + 2] * b[bo + i + 2];
      p3 += a[ao + i + 3] * b[bo + i + 3];
    }
    for (; i < s; i++) {
      p0 += a[ao + i] * b[bo + i];
    }
    return (p0 + p1) + (p2 + p3);
  }

  /** sum_i a[ao + i], i in [0, s), in four partial sums. */
  private static double sum(double[] a, int ao, int s) {
    double p0 = 0.0;
    double p1 = 0.0;
    double p2 = 0.0;
    double p3 = 0.0;
    int i = 0;
    for (; i + 3 < s; i += 4) {
      p0 += a[ao + i];
      p1 += a[ao + i + 1];
      p2 += a[ao + i + 2];
      p3 += a[ao + i + 3];
    }
    for (; i < s; i++) {
      p0 += a[ao + i];
    }
    return (p0 + p1) + (p2 + p3);
  }
}
