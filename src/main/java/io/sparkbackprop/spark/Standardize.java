package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Scaling;
import java.util.Collections;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * Means and standard deviations of the features (and label) in ONE distributed pass over the
 * cached training blocks, merged with Chan et al.'s pairwise formula for (count, mean, M2).
 */
public final class Standardize {
  private Standardize() {}

  /** Column statistics: d features then the label, each (mean, M2), and the count. */
  record Moments(long n, double[] mean, double[] m2) implements java.io.Serializable {
    static Moments of(Block b) {
      int d = b.features();
      int n = b.n();
      double[] mean = new double[d + 1];
      double[] m2 = new double[d + 1];
      for (int j = 0; j <= d; j++) {
        double[] col = j < d ? b.x() : b.y();
        int off = j < d ? j * n : 0;
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += col[off + i];
        }
        double m = s / n;
        double q = 0;
        for (int i = 0; i < n; i++) {
          double e = col[off + i] - m;
          q += e * e;
        }
        mean[j] = m;
        m2[j] = q;
      }
      return new Moments(n, mean, m2);
    }

    Moments merge(Moments o) {
      if (n == 0) {
        return o;
      }
      if (o.n == 0) {
        return this;
      }
      long total = n + o.n;
      double[] mu = new double[mean.length];
      double[] q = new double[mean.length];
      for (int j = 0; j < mean.length; j++) {
        double delta = o.mean[j] - mean[j];
        mu[j] = mean[j] + delta * o.n / total;
        q[j] = m2[j] + o.m2[j] + delta * delta * ((double) n * o.n / total);
      }
      return new Moments(total, mu, q);
    }
  }

  /**
   * @param features feature names, for the report of constant columns
   * @param label whether to standardize the label too
   * @param log where to report constant columns (null: nowhere)
   */
  public static Scaling fit(JavaRDD<Block> blocks, java.util.List<String> features,
      boolean standardizeFeatures, boolean label, java.io.PrintStream log) {
    int d = features.size();
    if (!standardizeFeatures && !label) {
      return Scaling.identity(d);
    }
    blocks.context().setJobDescription("standardize: column means and deviations");
    Moments m = blocks.mapPartitions(it -> {
      Moments acc = new Moments(0, new double[d + 1], new double[d + 1]);
      while (it.hasNext()) {
        acc = acc.merge(Moments.of(it.next()));
      }
      return Collections.singletonList(acc).iterator();
    }).collect().stream().reduce(Moments::merge).orElseThrow();
    blocks.context().setJobDescription(null);
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      if (standardizeFeatures) {
        double sd = Math.sqrt(m.m2()[j] / m.n());
        mean[j] = m.mean()[j];
        scale[j] = sd > 0 ? sd : 1.0;
        if (!(sd > 0) && log != null) {
          log.println("feature '" + features.get(j) + "' is constant (" + m.mean()[j]
              + "): centred, not scaled");
        }
      } else {
        scale[j] = 1.0;
      }
    }
    double lm = 0;
    double ls = 1;
    if (label) {
      double sd = Math.sqrt(m.m2()[d] / m.n());
      lm = m.mean()[d];
      ls = sd > 0 ? sd : 1.0;
    }
    return new Scaling(mean, scale, lm, ls);
  }

  /** The blocks scaled by {@code s}, cached MEMORY_AND_DISK and materialised. */
  public static JavaRDD<Block> apply(JavaRDD<Block> blocks, Scaling s) {
    JavaRDD<Block> scaled = blocks.map(b -> {
      double[] x = b.x().clone();
      double[] y = b.y().clone();
      s.scaleFeatures(x, b.n());
      s.scaleLabels(y, b.n());
      return new Block(b.n(), x, y);
    }).persist(StorageLevel.MEMORY_AND_DISK());
    blocks.context().setJobDescription("standardize: scale the cached blocks");
    scaled.count();
    blocks.context().setJobDescription(null);
    return scaled;
  }
}
