package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ElementWiseTest {
  /** Special values first, then random ones on several scales; 103 is not a multiple of any lane count. */
  private static double[] inputs() {
    double[] special = {0.0, -0.0, 1e-300, -1e-300, 1e-8, -1e-8, 0.5, -0.5, 20, -20, 36.7, -36.7,
        40, -40, 708, -708, 709.8, -709.8, 745, -745, 1000, -1000, Double.MAX_VALUE,
        -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
    double[] z = new double[special.length + 103 * 4];
    System.arraycopy(special, 0, z, 0, special.length);
    Random r = new Random(7);
    double[] scales = {1e-3, 1, 5, 50};
    int i = special.length;
    for (double s : scales) {
      for (int k = 0; k < 103; k++) {
        z[i++] = r.nextGaussian() * s;
      }
    }
    return z;
  }

  @Test
  void theTestsRunTheVectorImplementation() {
    // surefire's argLine adds jdk.incubator.vector, as the jobs/ scripts do.
    assertEquals("vector", ElementWise.get().name(), "ElementWise in the test JVM");
    assertEquals("scalar", ElementWise.scalar().name(), "ElementWise.scalar()");
  }

  /**
   * Every implementation agrees with Activation.apply at every length (SIMD body and tail): to 4 ulp
   * for sigmoid and tanh, bit for bit for relu and identity.
   */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void activateAgreesWithApplyToFourUlp(Activation f) {
    double[] z = inputs();
    for (ElementWise ew : new ElementWise[] {ElementWise.get(), ElementWise.scalar()}) {
      for (int len : new int[] {0, 1, 3, 5, 8, 27, z.length}) {
        double[] a = z.clone();
        ew.activate(f, a, len);
        for (int i = 0; i < z.length; i++) {
          double want = i < len ? f.apply(z[i]) : z[i];
          String what = ew.name() + " " + f + " at z = " + z[i] + " (index " + i + ", len " + len + ")";
          if (Double.isNaN(want)) {
            assertTrue(Double.isNaN(a[i]), what + ": " + a[i] + ", want NaN");
          } else if (f == Activation.RELU || f == Activation.IDENTITY) {
            // No rounding involved: bit for bit, the sign of zero included.
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(a[i]),
                what + ": " + a[i] + ", want " + want);
          } else {
            assertEquals(want, a[i], 4 * Math.ulp(want), what);
          }
        }
      }
    }
  }

  /** multiplyByDerivative is d *= derivativeFromOutput(a), bit for bit, including inf and NaN deltas. */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void multiplyByDerivativeIsTheDerivativeFromOutput(Activation f) {
    double[] z = inputs();
    Random r = new Random(11);
    double[] a = z.clone();
    double[] d = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      a[i] = f.apply(z[i]);
      d[i] = i % 17 == 0 ? Double.POSITIVE_INFINITY : r.nextGaussian();
    }
    for (ElementWise ew : new ElementWise[] {ElementWise.get(), ElementWise.scalar()}) {
      double[] got = d.clone();
      ew.multiplyByDerivative(f, a, got, z.length - 2);
      for (int i = 0; i < z.length; i++) {
        double want = i < z.length - 2 ? d[i] * f.derivativeFromOutput(a[i]) : d[i];
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got[i]),
            ew.name() + " " + f + " at a = " + a[i] + ", d = " + d[i] + ": " + got[i] + ", want " + want);
      }
    }
  }
}
