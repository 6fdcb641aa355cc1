package io.sparkbackprop.nn;

import io.sparkbackprop.nn.blas.Blas;
import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;

/**
 * Forward and backward over a block of n rows in double precision: the layer loop of
 * {@link BlockKernel} (its Javadoc has the formulas and the data layout) with dgemm, dgemv and the
 * double element-wise passes of {@link ElementWise}.
 */
public final class BlockBackprop extends BlockKernel<double[]> implements Kernel {
  private final BLAS blas = Blas.get();
  private final ElementWise elementWise = ElementWise.get();

  public BlockBackprop(Network net) {
    this(net, 128);
  }

  public BlockBackprop(Network net, int initialRows) {
    super(net, initialRows, double[].class);
  }

  @Override double[] alloc(int length) {
    return new double[length];
  }

  @Override void fill(double[] a, int from, int to, double v) {
    Arrays.fill(a, from, to, v);
  }

  @Override double get(double[] a, int i) {
    return a[i];
  }

  @Override void gemm(String transA, String transB, int m, int n, int k, double[] a, int offA,
      int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
    blas.dgemm(transA, transB, m, n, k, 1.0, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
  }

  @Override void gemv(String trans, int m, int n, double[] a, int offA, int lda, double[] x,
      int offX, int incX, double beta, double[] y, int offY, int incY) {
    blas.dgemv(trans, m, n, 1.0, a, offA, lda, x, offX, incX, beta, y, offY, incY);
  }

  @Override void activate(Activation f, double[] z, int len) {
    elementWise.activate(f, z, len);
  }

  @Override void multiplyByDerivative(Activation f, double[] a, double[] d, int len) {
    elementWise.multiplyByDerivative(f, a, d, len);
  }

  @Override double outputDelta(Activation f, double[] yhat, double[] y, double[] d, int len) {
    double loss = 0.0;
    for (int i = 0; i < len; i++) {
      double r = y[i] - yhat[i];
      loss += r * r;
      d[i] = -2.0 * r * f.derivativeFromOutput(yhat[i]);
    }
    return loss;
  }

  @Override double weightRows(double[] yhat, double[] y, double[] rw, double[] d, int n,
      int outputs) {
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double sq = 0.0;
      for (int t = 0; t < outputs; t++) {
        double r = y[t * n + i] - yhat[t * n + i];
        sq += r * r;
        d[t * n + i] *= rw[i];
      }
      loss += rw[i] * sq;
    }
    return loss;
  }
}
