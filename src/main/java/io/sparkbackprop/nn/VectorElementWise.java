package io.sparkbackprop.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementWise} with sigmoid and tanh on SIMD lanes. Loaded by reflection only when the JVM
 * has the {@code jdk.incubator.vector} module, so that the rest of the library runs without it.
 * The tail of an array (fewer elements than a vector) goes through {@link Activation#apply}.
 */
final class VectorElementWise extends ElementWise {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  @Override public String name() {
    return "vector";
  }

  @Override public void activate(Activation f, double[] z, int len) {
    switch (f) {
      case SIGMOID -> sigmoid(z, len);
      case TANH -> tanh(z, len);
      default -> super.activate(f, z, len);
    }
  }

  /**
   * The two exact forms of {@link Activation#SIGMOID}, chosen per lane as there: with
   * e = exp(-|z|), 1 / (1 + e) for z &gt;= 0 and e / (1 + e) for z &lt; 0, so e never overflows.
   */
  private static void sigmoid(double[] z, int len) {
    DoubleVector one = DoubleVector.broadcast(S, 1.0);
    int i = 0;
    for (int bound = S.loopBound(len); i < bound; i += S.length()) {
      DoubleVector v = DoubleVector.fromArray(S, z, i);
      DoubleVector e = v.abs().neg().lanewise(VectorOperators.EXP);
      DoubleVector num = one.blend(e, v.compare(VectorOperators.LT, 0.0));
      num.div(e.add(one)).intoArray(z, i);
    }
    for (; i < len; i++) {
      z[i] = Activation.SIGMOID.apply(z[i]);
    }
  }

  private static void tanh(double[] z, int len) {
    int i = 0;
    for (int bound = S.loopBound(len); i < bound; i += S.length()) {
      DoubleVector.fromArray(S, z, i).lanewise(VectorOperators.TANH).intoArray(z, i);
    }
    for (; i < len; i++) {
      z[i] = Math.tanh(z[i]);
    }
  }
}
