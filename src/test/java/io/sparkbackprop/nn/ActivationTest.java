package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationTest {

  @Test
  void parseAcceptsLabelsInAnyCaseAndLinear() {
    for (Activation a : Activation.values()) {
      assertSame(a, Activation.parse(a.label()), "parse(\"" + a.label() + "\")");
      assertSame(a, Activation.parse(" " + a.name() + " "), "parse(\" " + a.name() + " \")");
    }
    assertSame(Activation.IDENTITY, Activation.parse("linear"), "parse(\"linear\")");
    assertSame(Activation.SIGMOID, Activation.parse("Sigmoid"), "parse(\"Sigmoid\")");
    assertEquals("relu", Activation.RELU.label(), "label of RELU");
  }

  @Test
  void parseRejectsUnknownNamesNamingTheValueAndTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Activation.parse("softmax"), "parse(\"softmax\")");
    assertEquals("unknown activation 'softmax' (known: identity, sigmoid, tanh, relu)",
        e.getMessage(), "message for an unknown activation");
    assertThrows(IllegalArgumentException.class, () -> Activation.parse(""), "parse(\"\")");
    assertThrows(IllegalArgumentException.class, () -> Activation.parse(null), "parse(null)");
  }

  /**
   * derivativeFromOutput(apply(z)) against the central difference (f(z + h) - f(z - h)) / 2h,
   * h = 1e-5: truncation h^2 |f'''| / 6 below 1e-10, rounding about 1e-16 / h = 1e-11. z avoids the
   * ReLU kink at 0.
   */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void derivativeFromOutputMatchesFiniteDifferenceOfApply(Activation f) {
    double h = 1e-5;
    for (double z = -6.05; z <= 6.0; z += 0.1) {
      double fd = (f.apply(z + h) - f.apply(z - h)) / (2 * h);
      double d = f.derivativeFromOutput(f.apply(z));
      assertEquals(fd, d, 1e-9, f + " at z = " + z + ": f'(z) from the output " + d
          + ", central difference " + fd);
    }
  }

  @Test
  void valuesAtKnownPoints() {
    assertEquals(0.5, Activation.SIGMOID.apply(0.0), 0.0, "sigmoid(0)");
    assertEquals(0.75, Activation.SIGMOID.apply(Math.log(3)), 1e-16, "sigmoid(ln 3)");
    assertEquals(0.0, Activation.SIGMOID.apply(-800), 0.0, "sigmoid(-800), no overflow");
    assertEquals(1.0, Activation.SIGMOID.apply(800), 0.0, "sigmoid(800)");
    for (double z = -30; z <= 30; z += 0.7) {
      double s = Activation.SIGMOID.apply(z) + Activation.SIGMOID.apply(-z);
      assertEquals(1.0, s, 2e-16, "sigmoid(z) + sigmoid(-z) at z = " + z);
    }
    assertEquals(0.0, Activation.RELU.apply(-2.0), 0.0, "relu(-2)");
    assertEquals(2.0, Activation.RELU.apply(2.0), 0.0, "relu(2)");
    assertEquals(0.0, Activation.RELU.derivativeFromOutput(0.0), 0.0, "relu' at the kink (output 0)");
    assertEquals(1.0, Activation.RELU.derivativeFromOutput(1e-300), 0.0, "relu' for output > 0");
    assertEquals(-3.5, Activation.IDENTITY.apply(-3.5), 0.0, "identity(-3.5)");
    assertTrue(Math.abs(Activation.TANH.apply(0.5) - Math.tanh(0.5)) == 0.0, "tanh(0.5)");
  }
}
