package io.sparkbackprop.nn;

/**
 * Forward and backward over a block of n rows without BLAS, for networks whose layers after the
 * input are all narrow (see {@link Kernels}): plain loops along the ROWS, the long dimension, with
 * each weight held in a local, so that every inner loop is a stream over contiguous doubles from
 * index 0 that C2 compiles to SIMD code; the sums over rows (dot products, which C2 does not
 * vectorize) go through {@link RowDots}.
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
 * pre-activations equal {@link RowBackprop}'s bit for bit; the sums over rows are added into the
 * gradient once per strip. Activations and derivatives go through {@link ElementWise} (the SIMD sigmoid and
 * tanh when the Vector API is loaded). Scratch space does not depend on n except {@link #forward}'s
 * output; a warm kernel allocates nothing. One instance per thread: it is not thread-safe.
 */
public final class NarrowBackprop implements Kernel {
  /**
   * Rows per strip: large enough to pay each loop's overhead, small enough for a strip's arrays
   * to stay in L1 (docs/benchmarks.md, "Kernel").
   */
  static final int DEFAULT_STRIP = 128;

  private final Network net;
  private final ElementWise elementWise = ElementWise.get();
  private final RowDots dots;
  private final int depth;
  private final int[] widths;
  /** offsets[l]: start of layer l's slice of the flat weights (l = 1..L). */
  private final int[] offsets;
  private final Activation[] f;
  private final int strip;
  /**
   * a[l][t]: unit t of layer l over the current strip, from index 0 (a[0]: the strip's rows of the
   * block's input columns, copied). Every array a loop touches starts at index 0: C2 (JDK 17) does
   * not vectorize a loop whose arrays are read from a variable offset ({@code z[zo + i] += w *
   * a[ao + i]}), only {@code z[i] += w * a[i]}.
   */
  private final double[][][] a;
  /** d[l][t]: dL/dz of unit t of layer l over the current strip. */
  private final double[][][] d;
  /** {@link #forward}'s result, n x outputWidth. */
  private double[] out;

  public NarrowBackprop(Network net, int initialRows) {
    this(net, initialRows, DEFAULT_STRIP);
  }

  /** With {@code strip} rows per strip (benchmarks and tests). */
  NarrowBackprop(Network net, int initialRows, int strip) {
    this(net, initialRows, strip, RowDots.get());
  }

  /** With {@code strip} rows per strip and the given sums over rows (tests). */
  NarrowBackprop(Network net, int initialRows, int strip, RowDots dots) {
    this.dots = dots;
    if (strip < 1) {
      throw new IllegalArgumentException("strip must be at least 1 row, got " + strip);
    }
    this.net = net;
    this.depth = net.depth();
    this.widths = net.widths();
    this.strip = strip;
    this.offsets = new int[depth + 1];
    this.f = new Activation[depth + 1];
    this.a = new double[depth + 1][][];
    this.d = new double[depth + 1][][];
    a[0] = new double[widths[0]][strip];
    for (int l = 1; l <= depth; l++) {
      offsets[l] = net.offset(l);
      f[l] = net.layer(l).activation();
      a[l] = new double[widths[l]][strip];
      d[l] = new double[widths[l]][strip];
    }
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
      for (int t = 0; t < outW; t++) {
        System.arraycopy(a[depth][t], 0, yhat, t * n + s0, s);
      }
    }
  }

  @Override public double lossAndGradient(double[] w, double[] x, double[] y, int n,
      double[] grad) {
    return lossAndGradient(w, x, y, null, n, grad);
  }

  @Override public double lossAndGradient(double[] w, double[] x, double[] y, double[] rw, int n,
      double[] grad) {
    double loss = 0.0;
    for (int s0 = 0; s0 < n; s0 += strip) {
      int s = Math.min(strip, n - s0);
      forwardStrip(w, x, n, s0, s);
      loss += backwardStrip(w, y, rw, n, s0, s, grad);
    }
    return loss;
  }

  /** a[0..L] of rows [s0, s0 + s) of the block. */
  private void forwardStrip(double[] w, double[] x, int n, int s0, int s) {
    for (int j = 0; j < widths[0]; j++) {
      System.arraycopy(x, j * n + s0, a[0][j], 0, s);
    }
    for (int l = 1; l <= depth; l++) {
      int k = widths[l - 1];
      double[][] in = a[l - 1];
      for (int t = 0; t < widths[l]; t++) {
        int wt = offsets[l] + t * (k + 1);
        double[] z = a[l][t];
        combine(z, w[wt], w, wt + 1, 1, in, k, s);
        elementWise.activate(f[l], z, s);
      }
    }
  }

  /** Loss of the strip's rows; their gradient added into grad. After {@link #forwardStrip}. */
  private double backwardStrip(double[] w, double[] y, double[] rw, int n, int s0, int s,
      double[] grad) {
    double loss = 0.0;
    for (int t = 0; t < widths[depth]; t++) {
      double[] dt = d[depth][t];
      // dL/dyhat = -2 (y - yhat); (y - yhat)^2 = d^2 / 4 exactly (scaling by 2 is exact).
      System.arraycopy(y, t * n + s0, dt, 0, s);
      residual(dt, a[depth][t], s);
      if (rw != null) {
        // Row weights: loss sum_i rw_i d_i^2 / 4, and each row's delta times rw_i.
        for (int i = 0; i < s; i++) {
          loss += 0.25 * rw[s0 + i] * dt[i] * dt[i];
          dt[i] *= rw[s0 + i];
        }
      } else {
        loss += 0.25 * dots.dot(dt, dt, s);
      }
      elementWise.multiplyByDerivative(f[depth], a[depth][t], dt, s);
    }
    for (int l = depth; l >= 1; l--) {
      int k = widths[l - 1];
      int m = widths[l];
      double[][] in = a[l - 1];
      for (int t = 0; t < m; t++) {
        int wt = offsets[l] + t * (k + 1);
        double[] dt = d[l][t];
        grad[wt] += dots.sum(dt, s);
        int j = 0;
        for (; j + 3 < k; j += 4) {
          dots.dots4(in[j], in[j + 1], in[j + 2], in[j + 3], dt, s, grad, wt + 1 + j);
        }
        for (; j + 1 < k; j += 2) {
          dots.dots2(in[j], in[j + 1], dt, s, grad, wt + 1 + j);
        }
        if (j < k) {
          grad[wt + 1 + j] += dots.dot(in[j], dt, s);
        }
      }
      if (l > 1) {
        // d'_j = sum_t w_jt d_t, t in order (the row reference's order), then .* f'(a_{l-1}).
        for (int j = 0; j < k; j++) {
          int wj = offsets[l] + 1 + j;
          double[] below = d[l - 1][j];
          combine(below, 0.0, w, wj, k + 1, d[l], m, s);
          elementWise.multiplyByDerivative(f[l - 1], in[j], below, s);
        }
      }
    }
    return loss;
  }

  /**
   * z[i] = b + v_0 a_0[i] + ... + v_{c-1} a_{c-1}[i], left to right, i in [0, s), with
   * v_q = w[at + q * stride]: four terms per pass over z, so that z is read and written once per
   * four terms rather than once per term. z: Modified.
   */
  private static void combine(double[] z, double b, double[] w, int at, int stride, double[][] a,
      int c, int s) {
    int q = Math.min(c, 4);
    switch (q) {
      case 1 -> set1(z, b, w[at], a[0], s);
      case 2 -> set2(z, b, w[at], a[0], w[at + stride], a[1], s);
      case 3 -> set3(z, b, w[at], a[0], w[at + stride], a[1], w[at + 2 * stride], a[2], s);
      default -> set4(z, b, w[at], a[0], w[at + stride], a[1], w[at + 2 * stride], a[2],
          w[at + 3 * stride], a[3], s);
    }
    for (; q + 3 < c; q += 4) {
      int o = at + q * stride;
      add4(z, w[o], a[q], w[o + stride], a[q + 1], w[o + 2 * stride], a[q + 2],
          w[o + 3 * stride], a[q + 3], s);
    }
    for (; q < c; q++) {
      axpy(z, w[at + q * stride], a[q], s);
    }
  }

  private static void set1(double[] z, double b, double w1, double[] a1, int s) {
    for (int i = 0; i < s; i++) {
      z[i] = b + w1 * a1[i];
    }
  }

  private static void set2(double[] z, double b, double w1, double[] a1, double w2, double[] a2,
      int s) {
    for (int i = 0; i < s; i++) {
      z[i] = b + w1 * a1[i] + w2 * a2[i];
    }
  }

  private static void set3(double[] z, double b, double w1, double[] a1, double w2, double[] a2,
      double w3, double[] a3, int s) {
    for (int i = 0; i < s; i++) {
      z[i] = b + w1 * a1[i] + w2 * a2[i] + w3 * a3[i];
    }
  }

  private static void set4(double[] z, double b, double w1, double[] a1, double w2, double[] a2,
      double w3, double[] a3, double w4, double[] a4, int s) {
    for (int i = 0; i < s; i++) {
      z[i] = b + w1 * a1[i] + w2 * a2[i] + w3 * a3[i] + w4 * a4[i];
    }
  }

  /** z[i] = z[i] + w1 a1[i] + w2 a2[i] + w3 a3[i] + w4 a4[i], left to right, i in [0, s). */
  private static void add4(double[] z, double w1, double[] a1, double w2, double[] a2, double w3,
      double[] a3, double w4, double[] a4, int s) {
    for (int i = 0; i < s; i++) {
      z[i] = z[i] + w1 * a1[i] + w2 * a2[i] + w3 * a3[i] + w4 * a4[i];
    }
  }

  /** z[i] += w * a[i], i in [0, s). */
  private static void axpy(double[] z, double w, double[] a, int s) {
    for (int i = 0; i < s; i++) {
      z[i] += w * a[i];
    }
  }

  /** d[i] = -2 (d[i] - a[i]) (d holding y on entry), i in [0, s). */
  private static void residual(double[] d, double[] a, int s) {
    for (int i = 0; i < s; i++) {
      d[i] = -2.0 * (d[i] - a[i]);
    }
  }
}
