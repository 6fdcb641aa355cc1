package io.sparkbackprop.nn;

import io.sparkbackprop.nn.blas.Blas;
import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;

/**
 * Forward and backward over a block of n rows in single precision: the layer loop of
 * {@link BlockKernel} (its Javadoc has the formulas and the data layout) with sgemm, sgemv and the
 * float element-wise passes of {@link ElementWise}. Weights, data, activations and the block's
 * gradient are float; the loss sum is accumulated in double. Callers keep their running gradient
 * sums in double: give each block a zeroed float gradient and add it into a double accumulator
 * ({@link #addInto}), so that rounding does not grow with the number of blocks.
 */
public final class FloatBlockBackprop extends BlockKernel<float[]> {
  private final BLAS blas = Blas.get();
  private final ElementWise elementWise = ElementWise.get();

  public FloatBlockBackprop(Network net) {
    this(net, 128);
  }

  public FloatBlockBackprop(Network net, int initialRows) {
    super(net, initialRows, float[].class);
  }

  /** The values rounded to float (weights or data, as the float kernel takes them). */
  public static float[] toFloat(double[] w) {
    float[] f = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      f[i] = (float) w[i];
    }
    return f;
  }

  /** The values widened to double (exactly). */
  public static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /**
   * acc[i] += g[i] for i in [0, g.length), widened to double.
   *
   * @param acc Modified: the double accumulator
   * @param g one block's float gradient (not modified)
   */
  public static void addInto(double[] acc, float[] g) {
    for (int i = 0; i < g.length; i++) {
      acc[i] += g[i];
    }
  }

  @Override float[] alloc(int length) {
    return new float[length];
  }

  @Override void fill(float[] a, int from, int to, double v) {
    Arrays.fill(a, from, to, (float) v);
  }

  @Override double get(float[] a, int i) {
    return a[i];
  }

  @Override void gemm(String transA, String transB, int m, int n, int k, float[] a, int offA,
      int lda, float[] b, int offB, int ldb, double beta, float[] c, int offC, int ldc) {
    blas.sgemm(transA, transB, m, n, k, 1.0f, a, offA, lda, b, offB, ldb, (float) beta, c, offC,
        ldc);
  }

  @Override void gemv(String trans, int m, int n, float[] a, int offA, int lda, float[] x,
      int offX, int incX, double beta, float[] y, int offY, int incY) {
    blas.sgemv(trans, m, n, 1.0f, a, offA, lda, x, offX, incX, (float) beta, y, offY, incY);
  }

  @Override void activate(Activation f, float[] z, int len) {
    elementWise.activate(f, z, len);
  }

  @Override void multiplyByDerivative(Activation f, float[] a, float[] d, int len) {
    elementWise.multiplyByDerivative(f, a, d, len);
  }

  @Override double outputDelta(Activation f, float[] yhat, float[] y, float[] d, int len) {
    double loss = 0.0;
    for (int i = 0; i < len; i++) {
      float r = y[i] - yhat[i];
      loss += (double) r * r;
      d[i] = (float) (-2.0 * r * f.derivativeFromOutput(yhat[i]));
    }
    return loss;
  }

  @Override double weightRows(float[] yhat, float[] y, double[] rw, float[] d, int n,
      int outputs) {
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double sq = 0.0;
      for (int t = 0; t < outputs; t++) {
        float r = y[t * n + i] - yhat[t * n + i];
        sq += (double) r * r;
        d[t * n + i] = (float) (d[t * n + i] * rw[i]);
      }
      loss += rw[i] * sq;
    }
    return loss;
  }
}
