package io.sparkbackprop.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementWise} with sigmoid and ReLU on SIMD lanes. Loaded by reflection only when the JVM
 * has the {@code jdk.incubator.vector} module, so that the rest of the library runs without it.
 * The tail of an array (fewer elements than a vector) goes through {@link Activation#apply}.
 *
 * <p>Every lane operation used here is an exactly rounded IEEE operation (add, multiply, divide,
 * compare, blend, integer shifts), so a result does not depend on whether the JIT has compiled
 * the method yet: the Vector API's own {@code EXP} and {@code TANH} gave different last bits
 * interpreted (its Java fallback) and compiled (an intrinsic), which broke bitwise reproducible
 * training within one JVM. Hence the exponential below, and tanh through {@code Math.tanh}.
 */
final class VectorElementWise extends ElementWise {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  /** Float lanes: twice as many per register as {@link #S}. */
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  @Override public String name() {
    return "vector";
  }

  @Override public void activate(Activation f, double[] z, int len) {
    switch (f) {
      case SIGMOID -> sigmoid(z, len);
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
      DoubleVector e = expNonPositive(v.abs().neg());
      DoubleVector num = one.blend(e, v.compare(VectorOperators.LT, 0.0));
      num.div(e.add(one)).intoArray(z, i);
    }
    for (; i < len; i++) {
      z[i] = Activation.SIGMOID.apply(z[i]);
    }
  }

  // ---- single precision: the same two functions on float lanes ----

  @Override public void activate(Activation f, float[] z, int len) {
    switch (f) {
      case SIGMOID -> sigmoid(z, len);
      case RELU -> relu(z, len);
      default -> super.activate(f, z, len);
    }
  }

  @Override public void multiplyByDerivative(Activation f, float[] a, float[] d, int len) {
    if (f != Activation.RELU) {
      super.multiplyByDerivative(f, a, d, len);
      return;
    }
    FloatVector zero = FloatVector.zero(F);
    FloatVector one = FloatVector.broadcast(F, 1.0f);
    int i = 0;
    for (int bound = F.loopBound(len); i < bound; i += F.length()) {
      FloatVector ai = FloatVector.fromArray(F, a, i);
      FloatVector.fromArray(F, d, i).mul(zero.blend(one, ai.compare(VectorOperators.GT, 0.0f)))
          .intoArray(d, i);
    }
    for (; i < len; i++) {
      d[i] *= a[i] > 0 ? 1.0f : 0.0f;
    }
  }

  private static void relu(float[] z, int len) {
    FloatVector zero = FloatVector.zero(F);
    int i = 0;
    for (int bound = F.loopBound(len); i < bound; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, z, i);
      zero.blend(v, v.compare(VectorOperators.GT, 0.0f)).intoArray(z, i);
    }
    for (; i < len; i++) {
      z[i] = z[i] > 0 ? z[i] : 0.0f;
    }
  }

  /** As the double version: e = exp(-|z|), then 1 / (1 + e) or e / (1 + e) by sign. */
  private static void sigmoid(float[] z, int len) {
    FloatVector one = FloatVector.broadcast(F, 1.0f);
    int i = 0;
    for (int bound = F.loopBound(len); i < bound; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, z, i);
      FloatVector e = expNonPositive(v.abs().neg());
      FloatVector num = one.blend(e, v.compare(VectorOperators.LT, 0.0f));
      num.div(e.add(one)).intoArray(z, i);
    }
    for (; i < len; i++) {
      z[i] = (float) Activation.SIGMOID.apply(z[i]);
    }
  }

  // ---- exp(x) for x <= 0 from exactly rounded lane operations ----
  // x = k ln2 + r with k = round(x / ln2), |r| <= ln2 / 2; exp(x) = 2^k exp(r), exp(r) by its
  // Taylor series (degree 13 in double: truncation below 0.03 ulp; degree 8 in float), summed by
  // Estrin's scheme with fused multiply-adds (exact by definition, so JIT-independent too; a CPU
  // without FMA would run them in software, slowly: every x86-64 since 2013 has it). ln2 is
  // split in two (fdlibm's ln2_hi, ln2_lo) so that k ln2_hi is exact. 2^k is built from exponent
  // bits as 2^(k + 54) 2^-54 (2^(k + 24) 2^-24 in float), so that results down to the subnormal
  // range come out right; x below the underflow limit gives 0 (NaN stays NaN). Only lane
  // operations that AVX2 has are used (no 64-bit arithmetic shift): the others fall back to Java.

  /** 1.5 2^52: adding it to |v| < 2^51 rounds v to an integer, which then sits in the low bits. */
  private static final double ROUND = 0x1.8p52;
  private static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
  private static final double INV_LN2 = 1.4426950408889634;
  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;

  static DoubleVector expNonPositive(DoubleVector x) {
    DoubleVector xc = x.max(-746.0);
    DoubleVector t = xc.mul(INV_LN2).add(ROUND);
    DoubleVector k = t.sub(ROUND);
    DoubleVector r = xc.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
    // Estrin's scheme with fused multiply-adds (exactly rounded, so also JIT-independent): four
    // independent chains instead of one of thirteen steps.
    DoubleVector r2 = r.mul(r);
    DoubleVector r4 = r2.mul(r2);
    DoubleVector r8 = r4.mul(r4);
    DoubleVector c01 = r.fma(1.0, 1.0);
    DoubleVector c23 = r.fma(1.0 / 6.0, 0.5);
    DoubleVector c45 = r.fma(1.0 / 120.0, 1.0 / 24.0);
    DoubleVector c67 = r.fma(1.0 / 5040.0, 1.0 / 720.0);
    DoubleVector c89 = r.fma(1.0 / 362880.0, 1.0 / 40320.0);
    DoubleVector c1011 = r.fma(1.0 / 39916800.0, 1.0 / 3628800.0);
    DoubleVector c1213 = r.fma(1.0 / 6227020800.0, 1.0 / 479001600.0);
    DoubleVector c03 = c23.fma(r2, c01);
    DoubleVector c47 = c67.fma(r2, c45);
    DoubleVector c811 = c1011.fma(r2, c89);
    DoubleVector c07 = c47.fma(r4, c03);
    DoubleVector c813 = c1213.fma(r4, c811);
    DoubleVector p = c813.fma(r8, c07);
    // 2^(k + 54) from its exponent bits (k >= -1076 here, so the field is >= 1: normal), then an
    // exact scaling by 2^-54 unless the result is subnormal, where it rounds once.
    DoubleVector s = (DoubleVector) ((LongVector) t.reinterpretAsLongs())
        .add(1023L + 54L - ROUND_BITS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    DoubleVector e = p.mul(s).mul(0x1p-54);
    return e.blend(0.0, x.compare(VectorOperators.LT, -746.0));
  }

  private static final float ROUND_F = 0x1.8p23f;
  private static final int ROUND_F_BITS = Float.floatToRawIntBits(ROUND_F);
  private static final float INV_LN2_F = 1.44269504f;
  private static final float LN2_HI_F = 6.9314575195e-01f;
  private static final float LN2_LO_F = 1.4286067653e-06f;

  static FloatVector expNonPositive(FloatVector x) {
    FloatVector xc = x.max(-104.0f);
    FloatVector t = xc.mul(INV_LN2_F).add(ROUND_F);
    FloatVector k = t.sub(ROUND_F);
    FloatVector r = xc.sub(k.mul(LN2_HI_F)).sub(k.mul(LN2_LO_F));
    FloatVector r2 = r.mul(r);
    FloatVector r4 = r2.mul(r2);
    FloatVector c03 = r.fma(1.0f / 6.0f, 0.5f).fma(r2, r.fma(1.0f, 1.0f));
    FloatVector c47 = r.fma(1.0f / 5040.0f, 1.0f / 720.0f).fma(r2, r.fma(1.0f / 120.0f,
        1.0f / 24.0f));
    FloatVector p = r4.mul(1.0f / 40320.0f).fma(r4, c47.fma(r4, c03));
    FloatVector s = (FloatVector) ((IntVector) t.reinterpretAsInts())
        .add(127 + 24 - ROUND_F_BITS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector e = p.mul(s).mul(0x1p-24f);
    return e.blend(0.0f, x.compare(VectorOperators.LT, -104.0f));
  }
}
