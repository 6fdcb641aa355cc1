package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Kernel;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import java.io.Serializable;

/**
 * A trained network as the executors need it to score rows, broadcast once per pass: raw
 * features go in and label units come out (features standardized with
 * {@link Scaling#scaleFeatures}, the function training used; the output mapped back with
 * {@link Scaling#unscaleLabels}).
 */
public record Scorer(Network net, double[] w, Scaling scaling) implements Serializable {
  /**
   * Predictions in label units of n rows.
   *
   * @param x n x d raw features, column-major (Modified: standardized in place)
   * @param out Modified: the first n x k entries (column-major, k outputs)
   */
  void predict(Kernel fwd, double[] x, int n, double[] out) {
    scaling.scaleFeatures(x, n);
    fwd.predict(w, x, n, out);
    scaling.unscaleLabels(out, n);
  }
}
