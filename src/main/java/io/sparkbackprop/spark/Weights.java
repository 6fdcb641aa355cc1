package io.sparkbackprop.spark;

import io.sparkbackprop.nn.FloatBlockBackprop;
import io.sparkbackprop.nn.Precision;
import java.io.Serializable;

/**
 * What one iteration broadcasts: the driver's double weights as the kernel of the blocks' precision
 * wants them, double or rounded to float (half the bytes). The driver keeps the double master copy.
 *
 * @param doubles the weights (double mode), else null
 * @param floats the weights rounded to float (float mode), else null
 */
record Weights(double[] doubles, float[] floats) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The weights as the double kernel takes them (widened when only floats were broadcast). */
  double[] asDoubles() {
    return doubles != null ? doubles : FloatBlockBackprop.toDouble(floats);
  }

  /** The weights as the float kernel takes them (rounded when doubles were broadcast). */
  float[] asFloats() {
    return floats != null ? floats : FloatBlockBackprop.toFloat(doubles);
  }

  static Weights of(double[] w, Precision precision) {
    return precision == Precision.FLOAT
        ? new Weights(null, FloatBlockBackprop.toFloat(w))
        : new Weights(w, null);
  }
}
