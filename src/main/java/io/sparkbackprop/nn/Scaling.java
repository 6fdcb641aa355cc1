package io.sparkbackprop.nn;

import java.io.Serializable;

/**
 * Standardization stored with a model: the network sees x' = (x - mean) / scale per feature, and
 * predicts y' with y = labelMean + labelScale * y'. scale is the population standard deviation
 * (as scikit-learn's StandardScaler), or 1 for a constant column, which is only centred. With
 * standardization off, means are 0 and scales 1.
 */
public record Scaling(double[] mean, double[] scale, double labelMean, double labelScale)
    implements Serializable {

  public static Scaling identity(int features) {
    double[] ones = new double[features];
    java.util.Arrays.fill(ones, 1.0);
    return new Scaling(new double[features], ones, 0.0, 1.0);
  }

  public boolean isIdentity() {
    for (int j = 0; j < mean.length; j++) {
      if (mean[j] != 0.0 || scale[j] != 1.0) {
        return false;
      }
    }
    return labelMean == 0.0 && labelScale == 1.0;
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

  /** y' = (y - labelMean) / labelScale, in place. y: Modified. */
  public void scaleLabels(double[] y, int n) {
    for (int i = 0; i < n; i++) {
      y[i] = (y[i] - labelMean) / labelScale;
    }
  }

  /** y = labelMean + labelScale * y', in place. y: Modified. */
  public void unscaleLabels(double[] y, int n) {
    for (int i = 0; i < n; i++) {
      y[i] = labelMean + labelScale * y[i];
    }
  }
}
