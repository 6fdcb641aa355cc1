package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The textbook's network (2 inputs, 2 + 2 sigmoid hidden units, a sigmoid output) on its row
 * Y = 100, X1 = 2, X2 = 3, with weights chosen so that every pre-activation is 0 or +-ln of a small
 * number: every forward value, slope and factor is then a fraction, computed by hand below.
 *
 * <pre>
 * Weights W[l][from][to] (from 0 = the bias):
 *   H11: W[1][0][1] = ln 3 - 1/4,   W[1][1][1] = 1/2,  W[1][2][1] = -1/4
 *   H12: W[1][0][2] = 1/2 - ln 4,   W[1][1][2] = -1,   W[1][2][2] = 1/2
 *   H21: W[2][0][1] = -1,           W[2][1][1] = 2,    W[2][2][1] = -5/2
 *   H22: W[2][0][2] = ln 2 - 7/4,   W[2][1][2] = 1,    W[2][2][2] = 5
 *   ETA: W[3][0][1] = -ln 3 - 3/2,  W[3][1][1] = 1,    W[3][2][1] = 3/2
 *
 * Forward, g(z) = 1 / (1 + e^-z), g(ln r) = r / (1 + r), g' = a (1 - a):
 *   z11 = ln 3 - 1/4 + 2 (1/2) + 3 (-1/4) = ln 3     H11 = 3/4   g' = 3/16
 *   z12 = 1/2 - ln 4 + 2 (-1) + 3 (1/2)  = -ln 4    H12 = 1/5   g' = 4/25
 *   z21 = -1 + 2 (3/4) - 5/2 (1/5)       = 0        H21 = 1/2   g' = 1/4
 *   z22 = ln 2 - 7/4 + 3/4 + 5 (1/5)     = ln 2     H22 = 2/3   g' = 2/9
 *   zETA = -ln 3 - 3/2 + 1/2 + 3/2 (2/3) = -ln 3    ETA = 1/4   g' = 3/16
 *   L = (Y - ETA)^2 = (399/4)^2 = 159201/16 = 9950.0625
 *
 * dL/dW[1][1][1] = dL/dETA * sum(dETA/dH2 * dH2/dH11) * dH11/dW[1][1][1]:
 *   dL/dETA    = -2 (Y - ETA) = -399/2
 *   dETA/dH21  = g'(ETA) W[3][1][1] = 3/16 * 1   = 3/16
 *   dETA/dH22  = g'(ETA) W[3][2][1] = 3/16 * 3/2 = 9/32
 *   dH21/dH11  = g'(H21) W[2][1][1] = 1/4 * 2    = 1/2
 *   dH22/dH11  = g'(H22) W[2][1][2] = 2/9 * 1    = 2/9
 *   sum        = 3/16 * 1/2 + 9/32 * 2/9 = 3/32 + 1/16 = 5/32
 *   dH11/dW[1][1][1] = g'(H11) X1 = 3/16 * 2 = 3/8
 *   product    = -399/2 * 5/32 * 3/8 = -5985/512 = -11.689453125
 *
 * dL/dW[2][0][2] (H22's bias) = dL/dETA * dETA/dH22 * dH22/dW[2][0][2]
 *   = -399/2 * 9/32 * (2/9 * 1) = -399/32 = -12.46875
 * dL/dW[3][2][1] (in the output layer) = dL/dETA * dETA/dW[3][2][1] = -399/2 * (3/16 * H22)
 *   = -399/2 * 1/8 = -399/16 = -24.9375
 * </pre>
 * Checked independently in Python: in exact fractions (fractions.Fraction), and in floating point
 * written as the chapter's numpy code (W indexed [from, layer, to]), which gives H11..ETA =
 * 7.5000000000000000e-01, 1.9999999999999996e-01, 5.0000000000000000e-01, 6.6666666666666663e-01,
 * 2.4999999999999994e-01, np.sum(dETA_dH2 * dH2_dH11) = 1.5624999999999994e-01 and the product
 * -1.1689453124999996e+01: the fractions to a few units in the last place.
 * Only the logarithms are inexact, so everything is compared with the fractions to 1e-15 relative.
 */
class ChainRuleGoldenTest {
  private static final double TOL = 1e-15;
  static final Network NET =
      Network.of(new int[] {2, 2, 2, 1}, Activation.SIGMOID, Activation.SIGMOID);
  static final double[] X = {2, 3};
  static final double Y = 100;

  /** The weights of the comment above. */
  static double[] weights() {
    double[] w = new double[NET.size()];
    set(w, 1, 1, Math.log(3) - 0.25, 0.5, -0.25);
    set(w, 1, 2, 0.5 - Math.log(4), -1, 0.5);
    set(w, 2, 1, -1, 2, -2.5);
    set(w, 2, 2, Math.log(2) - 1.75, 1, 5);
    set(w, 3, 1, -Math.log(3) - 1.5, 1, 1.5);
    return w;
  }

  private static void set(double[] w, int l, int to, double bias, double w1, double w2) {
    w[NET.index(l, 0, to)] = bias;
    w[NET.index(l, 1, to)] = w1;
    w[NET.index(l, 2, to)] = w2;
  }

  @Test
  void forwardValuesAndSlopes() {
    ChainRule.Explanation e = ChainRule.explain(NET, weights(), X, Y, ChainRule.Weight.TEXTBOOK);
    double[][] a = e.activations();
    assertClose("X1", 2, a[0][0]);
    assertClose("X2", 3, a[0][1]);
    assertClose("H11", 3.0 / 4, a[1][0]);
    assertClose("H12", 1.0 / 5, a[1][1]);
    assertClose("H21", 1.0 / 2, a[2][0]);
    assertClose("H22", 2.0 / 3, a[2][1]);
    assertClose("ETA", 1.0 / 4, a[3][0]);
    assertClose("ETA via eta()", 1.0 / 4, e.eta());
    double[][] s = e.slopes();
    assertClose("g'(H11)", 3.0 / 16, s[1][0]);
    assertClose("g'(H12)", 4.0 / 25, s[1][1]);
    assertClose("g'(H21)", 1.0 / 4, s[2][0]);
    assertClose("g'(H22)", 2.0 / 9, s[2][1]);
    assertClose("g'(ETA)", 3.0 / 16, s[3][0]);
    assertClose("L", 159201.0 / 16, e.loss());
    assertClose("dL/dETA", -399.0 / 2, e.dLdEta());
  }

  @Test
  void chainOfTheTextbooksWeight() {
    ChainRule.Explanation e = ChainRule.explain(NET, weights(), X, Y, ChainRule.Weight.TEXTBOOK);
    assertEquals("W[1][1][1]", e.weight().name(), "the default weight");
    assertClose("W[1][1][1]", 0.5, e.value());
    List<ChainRule.Step> steps = e.steps();
    assertEquals(2, steps.size(), "links: layer 2 (from ETA), then layer 1");
    ChainRule.Step fromEta = steps.get(0);
    assertEquals(2, fromEta.layer(), "first link's layer");
    assertClose("dETA/dETA", 1, fromEta.above()[0]);
    assertClose("dETA/dH21", 3.0 / 16, fromEta.dEtaDH()[0]);
    assertClose("dETA/dH22", 9.0 / 32, fromEta.dEtaDH()[1]);
    ChainRule.Step toH11 = steps.get(1);
    assertEquals(1, toH11.layer(), "second link's layer");
    assertClose("dETA/dH21 (above H11)", 3.0 / 16, toH11.above()[0]);
    assertClose("dETA/dH22 (above H11)", 9.0 / 32, toH11.above()[1]);
    assertClose("dH21/dH11", 1.0 / 2, toH11.local(0, 0));
    assertClose("dH22/dH11", 2.0 / 9, toH11.local(0, 1));
    assertClose("dETA/dH21 * dH21/dH11", 3.0 / 32, toH11.term(0, 0));
    assertClose("dETA/dH22 * dH22/dH11", 1.0 / 16, toH11.term(0, 1));
    assertClose("sum(dETA/dH2 * dH2/dH11)", 5.0 / 32, toH11.sum(0));
    assertClose("dETA/dH11 (the factor)", 5.0 / 32, e.dEtaDH());
    assertClose("input X1", 2, e.input());
    assertClose("dH11/dW[1][1][1]", 3.0 / 8, e.dHdW());
    assertClose("product", -5985.0 / 512, e.product());
    assertClose("backprop", -5985.0 / 512, e.backprop());
  }

  @Test
  void chainOfABiasOneLayerBelowTheOutput() {
    ChainRule.Explanation e = ChainRule.explain(NET, weights(), X, Y, new ChainRule.Weight(2, 0, 2));
    assertEquals(1, e.steps().size(), "one link: layer 2, from ETA");
    assertClose("dETA/dH22", 9.0 / 32, e.dEtaDH());
    assertClose("input (bias)", 1, e.input());
    assertClose("dH22/dW[2][0][2]", 2.0 / 9, e.dHdW());
    assertClose("product", -399.0 / 32, e.product());
    assertClose("backprop", -399.0 / 32, e.backprop());
  }

  @Test
  void chainOfAnOutputWeight() {
    ChainRule.Explanation e = ChainRule.explain(NET, weights(), X, Y, new ChainRule.Weight(3, 2, 1));
    assertTrue(e.steps().isEmpty(), "no link between the output and its own weights");
    assertClose("dETA/dETA", 1, e.dEtaDH());
    assertClose("input H22", 2.0 / 3, e.input());
    assertClose("dETA/dW[3][2][1]", 1.0 / 8, e.dHdW());
    assertClose("product", -399.0 / 16, e.product());
    assertClose("backprop", -399.0 / 16, e.backprop());
  }

  private static void assertClose(String what, double expected, double actual) {
    double rel = Fixtures.relErr(expected, actual, Double.MIN_NORMAL);
    assertTrue(rel <= TOL, () -> what + ": expected " + expected + " (by hand), got " + actual
        + " (relative error " + rel + ")");
  }
}
