package io.sparkbackprop.nn;

import java.io.Serializable;

/**
 * Standardization stored with a model: the network sees x' = (x - mean) / scale per feature, and
 * predicts y'_k with y_k = labelMeans[k] + labelScales[k] * y'_k for each of its k outputs (each
 * output standardized on its own). scale is the population standard deviation (as
 * scikit-learn's StandardScaler), or 1 for a constant column, which is only centred. With
 * standardization off, means are 0 and scales 1. Labels are n x k, column-major (output k of row
 * i at {@code y[k * n + i]}), as the kernels take them.
 */
public record Scaling(double[] mean, double[] scale, double[] labelMeans, double[] labelScales)
    implements Serializable {

  public Scaling {
    if (labelMeans.length < 1 || labelMeans.length != labelScales.length) {
      throw new IllegalArgumentException("one label mean and scale per output, got "
          + labelMeans.length + " and " + labelScales.length);
    }
  }

  /** One output. */
  public Scaling(double[] mean, double[] scale, double labelMean, double labelScale) {
    this(mean, scale, new double[] {labelMean}, new double[] {labelScale});
  }

  public static Scaling identity(int features) {
    return identity(features, 1);
  }

  /** No standardization of {@code features} inputs and {@code outputs} outputs. */
  public static Scaling identity(int features, int outputs) {
    double[] ones = new double[features];
    java.util.Arrays.fill(ones, 1.0);
    double[] labelOnes = new double[outputs];
    java.util.Arrays.fill(labelOnes, 1.0);
    return new Scaling(new double[features], ones, new double[outputs], labelOnes);
  }

  /** The number of outputs k. */
  public int outputs() {
    return labelMeans.length;
  }

  /** The mean of output 0 (the only one of a single-output model). */
  public double labelMean() {
    return labelMeans[0];
  }

  /** The scale of output 0 (the only one of a single-output model). */
  public double labelScale() {
    return labelScales[0];
  }

  public boolean isIdentity() {
    for (int j = 0; j < mean.length; j++) {
      if (mean[j] != 0.0 || scale[j] != 1.0) {
        return false;
      }
    }
    for (int k = 0; k < labelMeans.length; k++) {
      if (labelMeans[k] != 0.0 || labelScales[k] != 1.0) {
        return false;
      }
    }
    return true;
  }

  /** Scales a column-major n x d block in place. x: Modified. */
  public void scaleFeatures(double[] x, int n) {
    for (int j = 0; j < mean.length; j++) {
      double m = mean[j];
      double s = scale[j];
      for (int i = j * n, end = i + n; i < end; i++) {
        x[i] = (x[i] - m) / s;
      }
    }
  }

  /** y'_k = (y_k - labelMeans[k]) / labelScales[k], in place, y n x k. y: Modified. */
  public void scaleLabels(double[] y, int n) {
    for (int k = 0; k < labelMeans.length; k++) {
      double m = labelMeans[k];
      double s = labelScales[k];
      for (int i = k * n, end = i + n; i < end; i++) {
        y[i] = (y[i] - m) / s;
      }
    }
  }

  /** y_k = labelMeans[k] + labelScales[k] * y'_k, in place, y n x k. y: Modified. */
  public void unscaleLabels(double[] y, int n) {
    for (int k = 0; k < labelMeans.length; k++) {
      double m = labelMeans[k];
      double s = labelScales[k];
      for (int i = k * n, end = i + n; i < end; i++) {
        y[i] = m + s * y[i];
      }
    }
  }
}
