package io.sparkbackprop.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementWise} with sigmoid, tanh and ReLU on SIMD lanes. Loaded by reflection only when the JVM
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
      case RELU -> relu(z, len);
      default -> super.activate(f, z, len);
    }
  }

  /**
   * ReLU's derivative without a branch per element (signs of pre-activations are random, so the
   * plain loop's branch mispredicts half the time); other activations' loops are plain arithmetic
   * that the JIT vectorizes itself.
   */
  @Override public void multiplyByDerivative(Activation f, double[] a, double[] d, int len) {
    if (f != Activation.RELU) {
      super.multiplyByDerivative(f, a, d, len);
      return;
    }
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector one = DoubleVector.broadcast(S, 1.0);
    int i = 0;
    for (int bound = S.loopBound(len); i < bound; i += S.length()) {
      DoubleVector ai = DoubleVector.fromArray(S, a, i);
      DoubleVector.fromArray(S, d, i).mul(zero.blend(one, ai.compare(VectorOperators.GT, 0.0)))
          .intoArray(d, i);
    }
    for (; i < len; i++) {
      d[i] *= a[i] > 0 ? 1.0 : 0.0;
    }
  }

  /** z &gt; 0 ? z : 0 per lane (NaN gives 0, as {@link Activation#apply}), without branches. */
  private static void relu(double[] z, int len) {
    DoubleVector zero = DoubleVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(len); i < bound; i += S.length()) {
      DoubleVector v = DoubleVector.fromArray(S, z, i);
      zero.blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(z, i);
    }
    for (; i < len; i++) {
      z[i] = z[i] > 0 ? z[i] : 0.0;
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
