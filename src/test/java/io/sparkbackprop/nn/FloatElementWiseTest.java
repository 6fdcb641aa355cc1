package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The float element-wise passes, and the JIT-independence of the vector ones. */
class FloatElementWiseTest {
  /** Special values, then random ones on several scales; 103 is not a multiple of a lane count. */
  private static float[] inputs() {
    float[] special = {0.0f, -0.0f, 1e-40f, -1e-40f, 1e-8f, -1e-8f, 0.5f, -0.5f, 15, -15, 17.3f,
        -17.3f, 87, -87, 88.7f, -88.7f, 103, -103, 104, -104, 1000, -1000, Float.MAX_VALUE,
        -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
    float[] z = new float[special.length + 103 * 4];
    System.arraycopy(special, 0, z, 0, special.length);
    Random r = new Random(7);
    int i = special.length;
    for (double s : new double[] {1e-3, 1, 5, 50}) {
      for (int k = 0; k < 103; k++) {
        z[i++] = (float) (r.nextGaussian() * s);
      }
    }
    return z;
  }

  /**
   * Every implementation agrees with Activation.apply (in double, rounded to float) at every
   * length: to 4 float ulp for sigmoid and tanh, bit for bit for relu and identity.
   */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void activateAgreesWithApplyToFourFloatUlp(Activation f) {
    float[] z = inputs();
    for (ElementWise ew : new ElementWise[] {ElementWise.get(), ElementWise.scalar()}) {
      for (int len : new int[] {0, 1, 3, 5, 8, 17, 27, z.length}) {
        float[] a = z.clone();
        ew.activate(f, a, len);
        for (int i = 0; i < z.length; i++) {
          float want = i < len ? (float) f.apply(z[i]) : z[i];
          String what = ew.name() + " " + f + " at z = " + z[i] + " (index " + i + ", len " + len
              + ")";
          if (Float.isNaN(want)) {
            assertTrue(Float.isNaN(a[i]), what + ": " + a[i] + ", want NaN");
          } else if (f == Activation.RELU || f == Activation.IDENTITY) {
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(a[i]),
                what + ": " + a[i] + ", want " + want);
          } else {
            assertEquals(want, a[i], 4 * Math.ulp(want), what);
          }
        }
      }
    }
  }

  /** multiplyByDerivative in float is d *= f'(a) in float arithmetic, bit for bit. */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void multiplyByDerivativeIsTheFloatDerivative(Activation f) {
    float[] z = inputs();
    Random r = new Random(11);
    float[] a = new float[z.length];
    float[] d = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      a[i] = (float) f.apply(z[i]);
      d[i] = i % 17 == 0 ? Float.POSITIVE_INFINITY : (float) r.nextGaussian();
    }
    for (ElementWise ew : new ElementWise[] {ElementWise.get(), ElementWise.scalar()}) {
      float[] got = d.clone();
      ew.multiplyByDerivative(f, a, got, z.length - 2);
      for (int i = 0; i < z.length; i++) {
        float fp = switch (f) {
          case IDENTITY -> 1.0f;
          case SIGMOID -> a[i] * (1.0f - a[i]);
          case TANH -> 1.0f - a[i] * a[i];
          case RELU -> a[i] > 0 ? 1.0f : 0.0f;
        };
        float want = i < z.length - 2 ? (f == Activation.IDENTITY ? d[i] : d[i] * fp) : d[i];
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[i]),
            ew.name() + " " + f + " at a = " + a[i] + ", d = " + d[i] + ": " + got[i]
                + ", want " + want);
      }
    }
  }

  /**
   * The vector sigmoid gives the same bits on its first call (interpreted) as after the JIT has
   * compiled it, in double and in float: training repeats bit for bit only if it does. The Vector
   * API's own EXP failed this (its Java fallback and its intrinsic differ in the last bit).
   */
  @Test
  void vectorSigmoidGivesTheSameBitsBeforeAndAfterCompilation() {
    ElementWise ew = ElementWise.get();
    Random r = new Random(3);
    double[] z = new double[64];
    float[] zf = new float[64];
    for (int i = 0; i < z.length; i++) {
      z[i] = r.nextGaussian() * 4;
      zf[i] = (float) z[i];
    }
    double[] first = z.clone();
    ew.activate(Activation.SIGMOID, first, first.length);
    float[] firstF = zf.clone();
    ew.activate(Activation.SIGMOID, firstF, firstF.length);
    double[] a = new double[z.length];
    float[] af = new float[zf.length];
    for (int it = 0; it < 40_000; it++) {
      System.arraycopy(z, 0, a, 0, z.length);
      ew.activate(Activation.SIGMOID, a, a.length);
      System.arraycopy(zf, 0, af, 0, zf.length);
      ew.activate(Activation.SIGMOID, af, af.length);
      if (!Arrays.equals(first, a) || !Arrays.equals(firstF, af)) {
        throw new AssertionError(ew.name() + " sigmoid changed its result at call " + it
            + " (double equal: " + Arrays.equals(first, a) + ", float equal: "
            + Arrays.equals(firstF, af) + ")");
      }
    }
  }
}
