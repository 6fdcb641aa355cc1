package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.RowBackprop;
import io.sparkbackprop.optim.L2;
import java.util.SplittableRandom;

/**
 * The plain single-threaded trainer that local-adam must equal: Adam written out, per-row backprop
 * ({@link RowBackprop}), every share one after the other, then the row-weighted averages. Per
 * round t and share p (rows in share order, n_p of them): a Fisher-Yates permutation of 0..n_p-1
 * from {@code SplittableRandom(LocalRounds.orderSeed(seed, t, p, 0))}; ceil(n_p / b) mini-batches
 * of the next b rows of it; per mini-batch g = (1/m) sum of its rows' dL/dw plus the L2
 * penalty's gradient ({@link L2}), then
 * <pre>
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  w -= lr (m / (1 - b1^k)) / (sqrt(v / (1 - b2^k)) + eps)
 * </pre>
 * with k the step count carried over rounds; after the round w, m and v are the averages of the
 * shares' weighted by n_p, and k advances by round(sum n_p k_p / n).
 */
final class LocalReference {
  private LocalReference() {}

  static double[] adam(Network net, double[][][] shareRows, double[][] shareLabels, double[] w0,
      double lr, double l2, int batch, long seed, int rounds) {
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    int size = net.size();
    RowBackprop ref = new RowBackprop(net);
    double[] w = w0.clone();
    double[] m = new double[size];
    double[] v = new double[size];
    long steps = 0;
    long n = 0;
    for (double[][] rows : shareRows) {
      n += rows.length;
    }
    double[] y = new double[1];
    for (int t = 1; t <= rounds; t++) {
      double[] wSum = new double[size];
      double[] mSum = new double[size];
      double[] vSum = new double[size];
      double stepSum = 0;
      for (int p = 0; p < shareRows.length; p++) {
        double[][] rows = shareRows[p];
        int np = rows.length;
        int[] order = new int[np];
        for (int i = 0; i < np; i++) {
          order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(LocalRounds.orderSeed(seed, t, p, 0));
        for (int i = np - 1; i > 0; i--) {
          int j = rnd.nextInt(i + 1);
          int tmp = order[i];
          order[i] = order[j];
          order[j] = tmp;
        }
        double[] wp = w.clone();
        double[] mp = m.clone();
        double[] vp = v.clone();
        int b = Math.min(batch, np);
        int kp = (np + b - 1) / b;
        for (int k = 1; k <= kp; k++) {
          int lo = (k - 1) * b;
          int hi = Math.min(np, lo + b);
          double[] g = new double[size];
          for (int r = lo; r < hi; r++) {
            y[0] = shareLabels[p][order[r]];
            ref.lossAndGradient(wp, rows[order[r]], y, g);
          }
          for (int i = 0; i < size; i++) {
            g[i] /= hi - lo;
          }
          L2.apply(net, l2, wp, g);
          long step = steps + k;
          double c1 = 1 - Math.pow(b1, step);
          double c2 = 1 - Math.pow(b2, step);
          for (int i = 0; i < size; i++) {
            double gi = g[i];
            mp[i] = b1 * mp[i] + (1 - b1) * gi;
            vp[i] = b2 * vp[i] + (1 - b2) * gi * gi;
            wp[i] -= lr * (mp[i] / c1) / (Math.sqrt(vp[i] / c2) + eps);
          }
        }
        for (int i = 0; i < size; i++) {
          wSum[i] += np * wp[i];
          mSum[i] += np * mp[i];
          vSum[i] += np * vp[i];
        }
        stepSum += (double) np * kp;
      }
      for (int i = 0; i < size; i++) {
        w[i] = wSum[i] / n;
        m[i] = mSum[i] / n;
        v[i] = vSum[i] / n;
      }
      steps += Math.round(stepSum / n);
    }
    return w;
  }
}
