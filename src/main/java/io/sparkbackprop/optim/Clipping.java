package io.sparkbackprop.optim;

/** Gradient-norm clipping: when ||g|| &gt; maxNorm, g is scaled to norm maxNorm (direction kept). */
public final class Clipping {
  private Clipping() {}

  /**
   * @param g gradient (Modified: scaled when its norm exceeds maxNorm)
   * @param maxNorm the cap; 0 or less means no clipping
   * @return the factor g was scaled by (1 when not clipped)
   */
  public static double clip(double[] g, double maxNorm) {
    if (!(maxNorm > 0)) {
      return 1.0;
    }
    double s = 0;
    for (double v : g) {
      s += v * v;
    }
    double norm = Math.sqrt(s);
    if (norm <= maxNorm) {
      return 1.0;
    }
    double f = maxNorm / norm;
    for (int i = 0; i < g.length; i++) {
      g[i] *= f;
    }
    return f;
  }
}
