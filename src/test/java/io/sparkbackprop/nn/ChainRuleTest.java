package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ChainRule on random networks: for EVERY weight, the product of the textbook's factors equals
 * backprop's dL/dW (RowBackprop.lossAndGradient) to 1e-13 relative, and every factor ChainRule
 * derives equals the value RowBackprop computes for it to 1e-15 relative.
 *
 * <p>The derived factors are each two or three roundings (2.2e-16 each at most) from RowBackprop's
 * value, with no sum in between: dL/dETA * dETA/dH = dL/dH, dL/dETA * dETA/dH * f' = delta. So is
 * the product (measured worst case over these networks: 4.2e-16), well inside the 1e-13.
 * The displayed paths of a sum add up to the factor to rounding relative to the sum of their
 * magnitudes (a sum that cancels loses digits whichever way it is formed).
 */
class ChainRuleTest {
  private static final double PRODUCT_TOL = 1e-13;
  private static final double DERIVED_TOL = 1e-15;

  /** The shapes: the textbook's 2-2-2-1, one hidden layer, and a wider 10-8-8-1. */
  private static final int[][] SHAPES = {{2, 2, 2, 1}, {3, 4, 1}, {10, 8, 8, 1}};
  /** Deeper: links between the output and the weight's layer whose vectors are whole layers. */
  private static final int[][] DEEP = {{2, 3, 4, 3, 1}, {3, 2, 2, 2, 2, 1}};

  static Stream<Arguments> cases() {
    return Fixtures.shapesByActivations(SHAPES, 1400);
  }

  static Stream<Arguments> deepCases() {
    return Fixtures.shapesByActivations(DEEP, 1500);
  }

  @ParameterizedTest(name = "{0} hidden={1} output={2} seed={3}")
  @MethodSource("cases")
  void productEqualsBackpropOnEveryWeight(int[] widths, Activation hidden, Activation output,
      long seed) {
    checkEveryWeight(Network.of(widths, hidden, output), seed);
  }

  @ParameterizedTest(name = "{0} hidden={1} output={2} seed={3}")
  @MethodSource("deepCases")
  void productEqualsBackpropOnEveryWeightOfDeeperNetworks(int[] widths, Activation hidden,
      Activation output, long seed) {
    checkEveryWeight(Network.of(widths, hidden, output), seed);
  }

  /** A different activation in every layer, so that no layer's slope can stand in for another's. */
  @Test
  void mixedActivationsPerLayer() {
    Activation[] all = Activation.values();
    for (int shift = 0; shift < all.length; shift++) {
      Activation[] acts = new Activation[4];
      for (int l = 0; l < acts.length; l++) {
        acts[l] = all[(l + shift) % all.length];
      }
      checkEveryWeight(Network.of(new int[] {3, 5, 4, 3, 1}, acts), 1600 + shift);
    }
  }

  /**
   * Y = ETA: dL/dETA = 0 and every dL/dW is 0, but the chain's other factors are still defined
   * and shown (they come from the pass started at dETA/dETA = 1, not from dL/dW / dL/dETA).
   */
  @Test
  void factorsAreDefinedWhenTheLossIsZero() {
    Network net = Network.of(new int[] {2, 2, 2, 1}, Activation.TANH, Activation.IDENTITY);
    Random rnd = new Random(17);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    double[] x = {2, 3};
    double y = new RowBackprop(net).forward(w, x)[0];
    ChainRule.Explanation e = ChainRule.explain(net, w, x, y, ChainRule.Weight.TEXTBOOK);
    assertEquals(0.0, e.loss(), 0.0, "L at Y = ETA");
    assertEquals(0.0, e.dLdEta(), 0.0, "dL/dETA at Y = ETA");
    assertEquals(0.0, e.product(), 0.0, "product at Y = ETA");
    assertEquals(0.0, e.backprop(), 0.0, "backprop at Y = ETA");
    RowBackprop eta = new RowBackprop(net);
    eta.forward(w, x);
    double[] gEta = new double[net.size()];
    eta.backward(w, new double[] {1.0}, gEta);
    double expected = eta.activationGradients(1)[0];
    assertTrue(expected != 0.0, "test setup: dETA/dH11 should not vanish here");
    assertEquals(expected, e.dEtaDH(), 0.0, "dETA/dH11 at Y = ETA");
    assertEquals(gEta[net.index(1, 1, 1)], e.dEtaDH() * e.dHdW(),
        DERIVED_TOL * Math.abs(gEta[net.index(1, 1, 1)]), "dETA/dW[1][1][1] at Y = ETA");
    ChainRule.Step top = e.steps().get(0);
    for (int k = 0; k < 2; k++) {
      assertEquals(eta.activationGradients(2)[k], top.dEtaDH()[k], 0.0,
          "dETA/dH2" + (k + 1) + " at Y = ETA");
    }
  }

  @Test
  void weightNamesParseAndOnlyExistingWeightsAreAccepted() {
    Network net = Network.of(new int[] {2, 2, 2, 1}, Activation.SIGMOID, Activation.SIGMOID);
    assertEquals(new ChainRule.Weight(1, 1, 1), ChainRule.Weight.parse("W[1][1][1]"), "W[1][1][1]");
    assertEquals(new ChainRule.Weight(3, 0, 1), ChainRule.Weight.parse(" w[3][ 0 ][1] "),
        "lower case and blanks");
    assertEquals("W[2][0][2]", new ChainRule.Weight(2, 0, 2).name(), "name");
    for (String bad : new String[] {"", "W[1][1]", "W[1][1][1][1]", "W(1,1,1)", "W[-1][1][1]",
        "W[1][x][1]", "W[1][1][1]x", "W[1234567890][1][1]"}) {
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> ChainRule.Weight.parse(bad), "parse('" + bad + "')");
      assertEquals("'" + bad + "' is not a weight name W[l][from][to]", ex.getMessage(),
          "message for '" + bad + "'");
    }
    String range = "2-2-2-1 has W[1][0..2][1..2], W[2][0..2][1..2], W[3][0..2][1]"
        + " (from = 0 is the bias)";
    assertEquals(range, ChainRule.validRange(net), "valid range of 2-2-2-1");
    for (int i = 0; i < net.size(); i++) {
      ChainRule.Weight wt = ChainRule.Weight.parse(net.name(i));
      assertTrue(wt.existsIn(net), net.name(i) + " exists");
      assertEquals(i, wt.index(net), net.name(i) + " index");
    }
    for (ChainRule.Weight bad : List.of(new ChainRule.Weight(4, 1, 1), new ChainRule.Weight(0, 1, 1),
        new ChainRule.Weight(1, 3, 1), new ChainRule.Weight(3, 1, 2), new ChainRule.Weight(2, 1, 0))) {
      assertTrue(!bad.existsIn(net), bad.name() + " does not exist");
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> bad.index(net), bad.name() + ".index");
      assertEquals(bad.name() + ": no such weight; " + range, ex.getMessage(),
          "message for " + bad.name());
    }
    assertEquals("3-4-1 has W[1][0..3][1..4], W[2][0..4][1] (from = 0 is the bias)",
        ChainRule.validRange(Network.of(new int[] {3, 4, 1}, Activation.RELU, Activation.IDENTITY)),
        "valid range of 3-4-1");
  }

  @Test
  void unitNames() {
    Network textbook = Network.of(new int[] {2, 2, 2, 1}, Activation.SIGMOID, Activation.SIGMOID);
    assertEquals("X2", ChainRule.unitName(textbook, 0, 2), "input 2");
    assertEquals("H11", ChainRule.unitName(textbook, 1, 1), "layer 1 unit 1");
    assertEquals("H22", ChainRule.unitName(textbook, 2, 2), "layer 2 unit 2");
    assertEquals("ETA", ChainRule.unitName(textbook, 3, 1), "the output");
    Network wide = Network.of(new int[] {3, 12, 4, 1}, Activation.SIGMOID, Activation.IDENTITY);
    assertEquals("H1_12", ChainRule.unitName(wide, 1, 12), "a hidden width of 10 or more");
    assertEquals("H2_1", ChainRule.unitName(wide, 2, 1), "the same naming in every layer");
  }

  @Test
  void explainRefusesWhatItCannotExplain() {
    Network two = Network.of(new int[] {2, 3, 2}, Activation.SIGMOID, Activation.IDENTITY);
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> ChainRule.explain(two, new double[two.size()], new double[2], 0.0,
            ChainRule.Weight.TEXTBOOK), "two outputs");
    assertEquals("the chain is written for one output ETA; 2-3-2 sigmoid,identity has 2",
        ex.getMessage(), "message");
    Network net = Network.of(new int[] {2, 2, 1}, Activation.SIGMOID, Activation.IDENTITY);
    assertThrows(IllegalArgumentException.class, () -> ChainRule.explain(net, new double[net.size()],
        new double[3], 0.0, ChainRule.Weight.TEXTBOOK), "three inputs for two");
    assertThrows(IllegalArgumentException.class, () -> ChainRule.explain(net, new double[net.size()],
        new double[2], 0.0, new ChainRule.Weight(3, 1, 1)), "W[3][1][1] in a 2-layer network");
  }

  /**
   * Several outputs, L = sum_k (Y_k - ETA_k)^2: for every weight the per-output terms sum to
   * RowBackprop's dL/dW (1e-12 relative), and each term is dL_k/dW of L_k alone. The oracle for a
   * term is RowBackprop on the WHOLE network with every other output's target set to its own
   * prediction (those residuals are then exactly 0, so dL/dW is dL_k/dW), and a central
   * difference of that loss.
   */
  @ParameterizedTest(name = "{0} hidden={1} output={2} seed={3}")
  @MethodSource("severalOutputs")
  void perOutputTermsSumToBackpropAndEachIsItsOwnOutputsGradient(int[] widths, Activation hidden,
      Activation output, long seed) {
    Network net = Network.of(widths, hidden, output);
    int k = net.outputWidth();
    Random rnd = new Random(seed);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    double[] x = Fixtures.gaussian(rnd, 1, net.inputWidth());
    double[] y = Fixtures.gaussian(rnd, 1, k);
    double[] grad = new double[net.size()];
    new RowBackprop(net).lossAndGradient(w, x, y, grad);
    double[] eta = new RowBackprop(net).forward(w, x).clone();
    double[][] alone = new double[k][net.size()];
    double[][] yAlone = new double[k][];
    for (int o = 0; o < k; o++) {
      yAlone[o] = eta.clone();
      yAlone[o][o] = y[o];
      new RowBackprop(net).lossAndGradient(w, x, yAlone[o], alone[o]);
    }
    for (int i = 0; i < net.size(); i++) {
      ChainRule.Weight wt = ChainRule.Weight.parse(net.name(i));
      ChainRule.Sum s = ChainRule.explainSum(net, w, x, y, wt);
      String what = net + " seed " + seed + ", " + wt.name();
      assertEquals(k, s.terms().size(), what + ": one term per output");
      assertBits(grad[i], s.backprop(), what + ": backprop is RowBackprop's dL/dW");
      double rel = Fixtures.relErr(s.sum(), grad[i], Double.MIN_NORMAL);
      assertTrue(rel <= 1e-12, what + ": sum of the terms " + s.sum() + ", backprop " + grad[i]
          + ", relative error " + rel);
      double sum = 0;
      for (int o = 0; o < k; o++) {
        ChainRule.Explanation e = s.terms().get(o);
        boolean zero = wt.layer() == net.depth() && wt.to() != o + 1;
        assertEquals(zero, e == null, what + ": term " + (o + 1) + " is absent exactly when the"
            + " weight feeds another output");
        double term = e == null ? 0.0 : e.product();
        sum += term;
        double relAlone = Fixtures.relErr(term, alone[o][i], 1e-300);
        assertTrue(term == alone[o][i] || relAlone <= 1e-12, what + ": term " + (o + 1) + " = "
            + term + ", dL_k/dW of output " + (o + 1) + " alone " + alone[o][i]);
        if (e != null) {
          assertBits(y[o], e.y(), what + ": the term's target is Y" + (o + 1));
          assertBits(eta[o], e.eta(), what + ": the term's ETA is ETA" + (o + 1));
        }
        if (i % 3 == 0) {
          double numeric = GradientCheck.numericDerivative(net, w, x, yAlone[o], 1, i, 1e-4, true);
          // A zero term differences to rounding noise (~1e-17): an absolute floor of 1e-9.
          assertTrue(Fixtures.relErr(term, numeric, 1e-9) <= 1e-6, what + ": term "
              + (o + 1) + " = " + term + ", central difference of (Y_k - ETA_k)^2 " + numeric);
        }
      }
      assertBits(sum, s.sum(), what + ": the sum is the terms' sum");
      ChainRule.NumericCheck c = ChainRule.numeric(s, 1e-4, true);
      assertTrue(c.centralRelError() <= 1e-6, what + ": central difference of L " + c.central()
          + " vs backprop " + grad[i]);
    }
  }

  static Stream<Arguments> severalOutputs() {
    return Fixtures.shapesByActivations(new int[][] {{2, 2, 2, 2}, {3, 4, 3}, {2, 3, 2, 3}},
        1600);
  }

  /** With one output, the sum's text is the one-output explanation's, byte for byte. */
  @Test
  void oneOutputSumRendersAsTheExplanation() {
    Network net = Network.of(new int[] {2, 2, 2, 1}, Activation.SIGMOID, Activation.SIGMOID);
    double[] w = net.standardNormalWeights(1);
    double[] x = {2, 3};
    ChainRule.Explanation e = ChainRule.explain(net, w, x, 100, ChainRule.Weight.TEXTBOOK);
    ChainRule.Sum s = ChainRule.explainSum(net, w, x, new double[] {100},
        ChainRule.Weight.TEXTBOOK);
    assertEquals(ChainRuleText.render(e, ChainRule.numeric(e, 1e-4, true), 1e-6),
        ChainRuleText.render(s, ChainRule.numeric(s, 1e-4, true), 1e-6), "k = 1 text");
    assertBits(e.product(), s.sum(), "k = 1: the sum is the product");
  }

  /** Every weight of one random network and row. */
  private static void checkEveryWeight(Network net, long seed) {
    Random rnd = new Random(seed);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    double[] x = Fixtures.gaussian(rnd, 1, net.inputWidth());
    double y = 3.0 * rnd.nextGaussian();
    double[] before = w.clone();
    int depth = net.depth();

    // RowBackprop's values, through its public API only.
    RowBackprop lossPass = new RowBackprop(net);
    double[] grad = new double[net.size()];
    double loss = lossPass.lossAndGradient(w, x, new double[] {y}, grad);
    double dLdEta = lossPass.activationGradients(depth)[0];
    assertTrue(dLdEta != 0.0, "test setup: Y = ETA exactly");

    for (int i = 0; i < net.size(); i++) {
      ChainRule.Weight wt = ChainRule.Weight.parse(net.name(i));
      ChainRule.Explanation e = ChainRule.explain(net, w, x, y, wt);
      String what = net + " seed " + seed + ", " + wt.name();
      int l = wt.layer();
      int to = wt.to();

      // The chain's product against backprop's derivative.
      assertBits(grad[i], e.backprop(), what + ": backprop is RowBackprop's dL/dW");
      double rel = Fixtures.relErr(e.product(), grad[i], Double.MIN_NORMAL);
      if (!(rel <= PRODUCT_TOL)) {
        fail(what + ": product of the chain " + e.product() + ", backprop " + grad[i]
            + ", relative error " + rel + " > " + PRODUCT_TOL);
      }

      // What the chain reads from RowBackprop, unchanged.
      assertBits(w[i], e.value(), what + ": the weight's value");
      assertBits(loss, e.loss(), what + ": L");
      assertBits(SquaredError.derivative(y, lossPass.activations(depth)[0]), e.dLdEta(),
          what + ": dL/dETA = -2 (Y - ETA)");
      for (int m = 0; m <= depth; m++) {
        double[] a = lossPass.activations(m);
        for (int j = 0; j < a.length; j++) {
          assertBits(a[j], e.activations()[m][j], what + ": a[" + m + "][" + (j + 1) + "]");
          if (m >= 1) {
            assertBits(net.layer(m).activation().derivativeFromOutput(a[j]), e.slopes()[m][j],
                what + ": f' of a[" + m + "][" + (j + 1) + "]");
          }
        }
      }

      // The links: one per layer from the output's down to the weight's.
      List<ChainRule.Step> steps = e.steps();
      assertEquals(depth - l, steps.size(), what + ": number of links");
      for (int s = 0; s < steps.size(); s++) {
        ChainRule.Step st = steps.get(s);
        int m = depth - 1 - s;
        assertEquals(m, st.layer(), what + ": link " + s + " is layer " + m);
        double[] dLdHAbove = lossPass.activationGradients(m + 1);
        double[] deltas = lossPass.deltas(m + 1);
        double[] dLdH = lossPass.activationGradients(m);
        for (int k = 0; k < deltas.length; k++) {
          String above = e.unit(m + 1, k + 1);
          if (m + 1 == depth) {
            assertBits(1.0, st.above()[k], what + ": dETA/dETA");
          } else {
            assertBits(steps.get(s - 1).dEtaDH()[k], st.above()[k],
                what + ": dETA/d" + above + " is the link above's");
          }
          assertBits(e.slopes()[m + 1][k], st.slopes()[k], what + ": f'(" + above + ")");
          // Derived: dL/dETA * dETA/dH = RowBackprop's dL/dH; times f', RowBackprop's delta.
          assertDerived(dLdHAbove[k], dLdEta * st.above()[k], what + ": dL/dETA * dETA/d" + above);
          assertDerived(deltas[k], dLdEta * st.above()[k] * st.slopes()[k],
              what + ": dL/dETA * dETA/d" + above + " * f'(" + above + ")");
          for (int j = 0; j < dLdH.length; j++) {
            assertBits(w[net.index(m + 1, j + 1, k + 1)], st.weights()[j][k],
                what + ": W[" + (m + 1) + "][" + (j + 1) + "][" + (k + 1) + "]");
            assertBits(st.slopes()[k] * w[net.index(m + 1, j + 1, k + 1)], st.local(j, k),
                what + ": d" + above + "/d" + e.unit(m, j + 1) + " = f' * W");
            assertBits(st.above()[k] * st.local(j, k), st.term(j, k),
                what + ": the path through " + above + " into " + e.unit(m, j + 1));
          }
        }
        for (int j = 0; j < dLdH.length; j++) {
          String h = e.unit(m, j + 1);
          assertDerived(dLdH[j], dLdEta * st.dEtaDH()[j], what + ": dL/dETA * dETA/d" + h);
          // The displayed paths add up to the factor, to rounding relative to their magnitudes.
          double magnitude = 0.0;
          double sum = 0.0;
          for (int k = 0; k < deltas.length; k++) {
            magnitude += Math.abs(st.term(j, k));
            sum += st.term(j, k);
          }
          assertBits(sum, st.sum(j), what + ": sum of the paths into " + h);
          double gap = Math.abs(st.sum(j) - st.dEtaDH()[j]);
          if (!(gap <= DERIVED_TOL * magnitude)) {
            fail(what + ": the paths into " + h + " add up to " + st.sum(j) + ", the factor is "
                + st.dEtaDH()[j] + "; gap " + gap + " > " + DERIVED_TOL + " * " + magnitude);
          }
        }
      }

      // The weight's own factor.
      double input = wt.from() == 0 ? 1.0 : lossPass.activations(l - 1)[wt.from() - 1];
      assertBits(input, e.input(), what + ": input");
      assertBits(e.slopes()[l][to - 1] * input, e.dHdW(), what + ": dH/dW = f' * input");
      if (l == depth) {
        assertBits(1.0, e.dEtaDH(), what + ": dETA/dETA");
      } else {
        assertBits(steps.get(steps.size() - 1).dEtaDH()[to - 1], e.dEtaDH(),
            what + ": dETA/dH of the weight's unit");
      }
    }
    assertArrayBits(before, w, net + ": explain must not modify the weights");
  }

  private static void assertDerived(double rowBackprop, double derived, String what) {
    double rel = Fixtures.relErr(rowBackprop, derived, Double.MIN_NORMAL);
    if (!(rel <= DERIVED_TOL)) {
      fail(what + ": expected " + rowBackprop + " (RowBackprop), derived " + derived
          + ", relative error " + rel + " > " + DERIVED_TOL);
    }
  }

  private static void assertBits(double expected, double actual, String what) {
    if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)) {
      fail(what + ": expected " + expected + ", got " + actual);
    }
  }

  private static void assertArrayBits(double[] expected, double[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertBits(expected[i], actual[i], what + " [" + i + "]");
    }
  }
}
