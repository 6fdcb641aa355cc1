package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The text of an explanation: the textbook's factors by name, each value printed in full (it
 * parses back to the very double), the columns aligned; and the finite differences of
 * {@link ChainRule#numeric}.
 */
class ChainRuleTextTest {
  private static ChainRule.Explanation golden(ChainRule.Weight wt) {
    return ChainRule.explain(ChainRuleGoldenTest.NET, ChainRuleGoldenTest.weights(),
        ChainRuleGoldenTest.X, ChainRuleGoldenTest.Y, wt);
  }

  @Test
  void textbookWeightReadsAsTheChapter() {
    ChainRule.Explanation e = golden(ChainRule.Weight.TEXTBOOK);
    String text = ChainRuleText.render(e);
    List<String> lines = List.of(text.split("\n"));
    assertTrue(lines.contains(
        "chain: dL/dW[1][1][1] = dL/dETA * sum(dETA/dH2 * dH2/dH11) * dH11/dW[1][1][1]"),
        () -> "chain header in:\n" + text);
    assertTrue(lines.contains("row: X1 = 2, X2 = 3, Y = 100"), () -> "row line in:\n" + text);
    ChainRule.Step top = e.steps().get(0);
    ChainRule.Step link = e.steps().get(1);
    // Each factor's line ends in its value, printed in full.
    assertValue(lines, "dL/dETA", "= -2 (Y - ETA)", e.dLdEta());
    assertValue(lines, "dETA/dH21", "= f'(ETA) * W[3][1][1]", top.dEtaDH()[0]);
    assertValue(lines, "dETA/dH22", "= f'(ETA) * W[3][2][1]", top.dEtaDH()[1]);
    assertValue(lines, "dH21/dH11", "= f'(H21) * W[2][1][1]", link.local(0, 0));
    assertValue(lines, "dH22/dH11", "= f'(H22) * W[2][1][2]", link.local(0, 1));
    assertValue(lines, "", "dETA/dH21 * dH21/dH11", link.term(0, 0));
    assertValue(lines, "", "+ dETA/dH22 * dH22/dH11", link.term(0, 1));
    assertValue(lines, "dH11/dW[1][1][1]", "= f'(H11) * X1", e.dHdW());
    assertValue(lines, "product", "= dL/dETA * dETA/dH11 * dH11/dW[1][1][1]", e.product());
    assertValue(lines, "backprop", "= RowBackprop's dL/dW[1][1][1]", e.backprop());
    // The forward pass: each unit's a and f'.
    for (int l = 0; l <= 3; l++) {
      for (int j = 1; j <= e.activations()[l].length; j++) {
        String[] cells = line(lines, e.unit(l, j) + " ").strip().split("\\s+");
        assertEquals("a[" + l + "][" + j + "]", cells[1], "forward line of " + e.unit(l, j));
        assertEquals(e.activations()[l][j - 1], Double.parseDouble(cells[2]), 0.0,
            "a of " + e.unit(l, j) + " as printed");
        if (l > 0) {
          assertEquals(e.slopes()[l][j - 1], Double.parseDouble(cells[3]), 0.0,
              "f' of " + e.unit(l, j) + " as printed");
        }
      }
    }
    // Aligned: every value of the chain starts in the same column.
    int column = -1;
    int start = lines.indexOf("chain: dL/dW[1][1][1] = dL/dETA * sum(dETA/dH2 * dH2/dH11)"
        + " * dH11/dW[1][1][1]");
    for (String s : lines.subList(start + 1, lines.size())) {
      int at = s.lastIndexOf("= ");
      if (at < 0 || !s.substring(at + 2).strip().split("\\s+")[0].matches("-?\\d\\.\\d{16}e[-+]\\d\\d")) {
        continue;
      }
      if (column < 0) {
        column = at;
      }
      assertEquals(column, at, "column of the value in '" + s + "' of:\n" + text);
    }
    assertTrue(column > 0, "no values found in:\n" + text);
    assertTrue(text.contains("  W[1]            to 1 (H11)               to 2 (H12)\n"
        + "  from 0 (bias)   8.4861228866810980e-01  -8.8629436111989060e-01\n"),
        () -> "the weights of layer 1 in:\n" + text);
  }

  @Test
  void outputAndBiasWeightsHaveTheirOwnChains() {
    String out = ChainRuleText.render(golden(new ChainRule.Weight(3, 2, 1)));
    assertTrue(out.contains("chain: dL/dW[3][2][1] = dL/dETA * dETA/dW[3][2][1]\n"),
        () -> "output weight's chain in:\n" + out);
    assertTrue(out.contains("= f'(ETA) * H22"), () -> "dETA/dW = f'(ETA) * H22 in:\n" + out);
    String bias = ChainRuleText.render(golden(new ChainRule.Weight(2, 0, 2)));
    assertTrue(bias.contains("chain: dL/dW[2][0][2] = dL/dETA * dETA/dH22 * dH22/dW[2][0][2]\n"),
        () -> "bias's chain in:\n" + bias);
    assertTrue(bias.contains("= f'(H22) * 1 (bias)"), () -> "the bias's input 1 in:\n" + bias);
    assertTrue(!bias.contains("dETA/dH21"), () -> "only H22's factor from ETA in:\n" + bias);
  }

  /** Between the output's layer and the weight's, whole vectors, each entry a sum. */
  @Test
  void deeperNetworksShowTheVectorsInBetween() {
    Network net = Network.of(new int[] {2, 3, 12, 2, 1}, Activation.TANH, Activation.IDENTITY);
    double[] w = Fixtures.scaledGaussianWeights(net, new Random(3));
    ChainRule.Explanation e = ChainRule.explain(net, w, new double[] {0.5, -1}, 2.0,
        new ChainRule.Weight(1, 2, 3));
    String text = ChainRuleText.render(e);
    List<String> lines = List.of(text.split("\n"));
    assertTrue(lines.contains("chain: dL/dW[1][2][3] = dL/dETA * sum(dETA/dH2 * dH2/dH1_3)"
        + " * dH1_3/dW[1][2][3]"), () -> "chain header in:\n" + text);
    ChainRule.Step between = e.steps().get(1);
    assertEquals(2, between.layer(), "the link in between is layer 2");
    for (int j = 1; j <= 12; j++) {
      assertValue(lines, "dETA/dH2_" + j, "= sum(dETA/dH3 * dH3/dH2_" + j + ")",
          between.dEtaDH()[j - 1]);
    }
    assertValue(lines, "", "+ dETA/dH2_12 * dH2_12/dH1_3", e.steps().get(2).term(2, 11));
    assertTrue(text.contains("\n" + net.size() + " weights (not listed)\n"),
        () -> "a large network's weights are not listed:\n" + text);
  }

  @Test
  void numericCheckAndVerdict() {
    ChainRule.Explanation e = golden(ChainRule.Weight.TEXTBOOK);
    double[] w = e.weights().clone();
    ChainRule.NumericCheck c = ChainRule.numeric(e, 1e-4, true);
    assertTrue(c.centralRelError() < 1e-8, () -> "central difference " + c.central()
        + " vs backprop " + e.backprop());
    assertEquals(GradientCheck.relativeError(e.backprop(), c.central()), c.centralRelError(), 0.0,
        "central relative error");
    // (L - L_e) / e: truncation e |d2L/dw2| / 2 and rounding 2.2e-16 L / e, both near 1e-6 here.
    assertTrue(c.oneSidedRelError() > 1e-8 && c.oneSidedRelError() < 1e-5,
        () -> "one-sided " + c.oneSided() + " vs backprop " + e.backprop());
    assertEquals(1e-6, c.e(), 0.0, "the textbook's e");
    assertEquals(Math.ulp(1.0) * e.loss() / 1e-6, c.roundingEstimate(), 0.0, "rounding estimate");
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], e.weights()[i], 0.0, "numeric must not modify the explanation's weights");
    }
    String ok = ChainRuleText.render(e, c, 1e-6);
    assertTrue(ok.contains("agreement for W[1][1][1]: backprop vs central difference "
        + String.format(java.util.Locale.ROOT, "%.2e", c.centralRelError())
        + " (threshold 1e-6): OK\n"), () -> "verdict in:\n" + ok);
    assertTrue(ok.contains("textbook one-sided"), () -> "one-sided line in:\n" + ok);
    String failed = ChainRuleText.render(e, c, 0.0);
    assertTrue(failed.contains("(threshold 0.0): FAILED\n"), () -> "verdict in:\n" + failed);
  }

  /** The line whose first column is {@code name} (blank for continuation lines) and contains {@code formula}. */
  private static void assertValue(List<String> lines, String name, String formula, double value) {
    List<String> found = new ArrayList<>();
    for (String s : lines) {
      String body = s.strip();
      boolean named = name.isEmpty() ? s.startsWith("     ") : body.startsWith(name + " ");
      if (named && s.contains(formula)) {
        found.add(s);
      }
    }
    if (found.size() != 1) {
      fail("expected one line '" + name + " ... " + formula + "', found " + found + " in:\n"
          + String.join("\n", lines));
    }
    String s = found.get(0);
    double printed = Double.parseDouble(s.substring(s.lastIndexOf("= ") + 2).strip().split("\\s+")[0]);
    assertEquals(Double.doubleToLongBits(value), Double.doubleToLongBits(printed),
        () -> "value of '" + name + " " + formula + "' printed as " + printed + ", is " + value);
  }

  private static String line(List<String> lines, String prefix) {
    for (String s : lines) {
      if (s.startsWith("  " + prefix)) {
        return s;
      }
    }
    throw new AssertionError("no line starting with '" + prefix + "'");
  }
}
