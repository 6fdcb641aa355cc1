package io.sparkbackprop.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link ChainRule.Explanation} as plain text: the weights (small networks), the forward pass,
 * the chain's factors in the textbook's order with their operands, their product and backprop's
 * derivative, then (when given) the finite differences. Every number has 17 significant digits, so
 * that each line can be checked by hand, and a blank where a minus sign would be, so that the
 * columns line up.
 */
public final class ChainRuleText {
  /** Networks with at most this many weights get every weight listed. */
  public static final int LIST_WEIGHTS_UP_TO = 40;

  private ChainRuleText() {}

  /** Full double precision: 17 significant digits, as gradcheck's table. */
  public static String fmt(double v) {
    return String.format(Locale.ROOT, "%.16e", v);
  }

  /** The explanation without finite differences. */
  public static String render(ChainRule.Explanation e) {
    return render(e, null, Double.NaN);
  }

  /**
   * The explanation and, when {@code check} is not null, its finite differences and the verdict
   * on the central one: {@code OK} when its relative error is at most {@code threshold}.
   */
  public static String render(ChainRule.Explanation e, ChainRule.NumericCheck check,
      double threshold) {
    Network net = e.network();
    int depth = net.depth();
    String w = e.weight().name();
    StringBuilder sb = new StringBuilder();
    sb.append("chain rule for ").append(w).append(" = ").append(fmt(e.value()))
        .append(", network ").append(net).append('\n');
    sb.append("row: ");
    for (int j = 1; j <= net.inputWidth(); j++) {
      sb.append(e.unit(0, j)).append(" = ").append(plain(e.activations()[0][j - 1])).append(", ");
    }
    sb.append("Y = ").append(plain(e.y())).append('\n');
    weights(net, e.weights(), sb);
    forward(net, e.activations(), e.slopes(), sb);
    sb.append("  L = (Y - ETA)^2 = ").append(fmt(e.loss())).append('\n');

    sb.append('\n').append(chainHeader(e)).append('\n');
    Rows c = chainRows(e);
    if (check != null) {
      checkRows(c, check);
    }
    sb.append(c.render("  "));
    if (check != null) {
      verdict(sb, w, check, e.loss(), threshold);
    }
    return sb.toString();
  }

  /**
   * A {@link ChainRule.Sum} of several outputs: the weights and forward pass of the whole network,
   * then per output k the chain of {@code L_k = (Y_k - ETA_k)^2} (that of the network restricted
   * to ETA_k, named as in the whole network), the terms' sum against backprop's dL/dW and, when
   * {@code check} is not null, the finite differences of L and the verdict on the central one.
   * With one output it is {@link #render(ChainRule.Explanation, ChainRule.NumericCheck, double)}.
   */
  public static String render(ChainRule.Sum s, ChainRule.NumericCheck check, double threshold) {
    Network net = s.network();
    if (net.outputWidth() == 1) {
      return render(s.terms().get(0), check, threshold);
    }
    StringBuilder sb = new StringBuilder();
    sumHeader(s, sb);
    perOutputChains(s, sb);
    Rows sum = sumRows(s);
    if (check != null) {
      checkRows(sum, check);
    }
    sb.append('\n').append(sum.render("  "));
    if (check != null) {
      verdict(sb, s.weight().name(), check, s.loss(), threshold);
    }
    return sb.toString();
  }

  /** The title, the row (inputs and every Yk), the weights and the forward pass of a sum. */
  private static void sumHeader(ChainRule.Sum s, StringBuilder sb) {
    Network net = s.network();
    int k = net.outputWidth();
    int depth = net.depth();
    sb.append("chain rule for ").append(s.weight().name()).append(" = ").append(fmt(s.value()))
        .append(", network ").append(net).append(", ").append(k).append(" outputs\n");
    sb.append("row: ");
    for (int j = 1; j <= net.inputWidth(); j++) {
      sb.append(ChainRule.unitName(net, 0, j)).append(" = ").append(plain(s.x()[j - 1]))
          .append(", ");
    }
    for (int o = 1; o <= k; o++) {
      sb.append(o == 1 ? "" : ", ").append("Y").append(o).append(" = ").append(plain(s.y()[o - 1]));
    }
    sb.append('\n');
    weights(net, s.weights(), sb);
    double[][] slopes = new double[depth + 1][];
    slopes[0] = new double[0];
    for (int m = 1; m <= depth; m++) {
      slopes[m] = new double[s.activations()[m].length];
      for (int j = 0; j < slopes[m].length; j++) {
        slopes[m][j] = net.layer(m).activation().derivativeFromOutput(s.activations()[m][j]);
      }
    }
    forward(net, s.activations(), slopes, sb);
    sb.append("  L = sum_k Lk, Lk = (Yk - ETAk)^2 = ").append(fmt(s.loss())).append('\n');
  }

  /** dL/dW = dL1/dW + ... + dLk/dW, then each output's one-output chain (or why it is 0). */
  private static void perOutputChains(ChainRule.Sum s, StringBuilder sb) {
    int k = s.network().outputWidth();
    int depth = s.network().depth();
    String w = s.weight().name();
    sb.append('\n').append("dL/d").append(w).append(" = ");
    for (int o = 1; o <= k; o++) {
      sb.append(o == 1 ? "" : " + ").append("dL").append(o).append("/d").append(w);
    }
    sb.append(": per output k the one-output chain of ETAk alone (the network with only ETAk)\n");
    for (int o = 1; o <= k; o++) {
      ChainRule.Explanation e = s.terms().get(o - 1);
      int output = o;
      sb.append('\n').append("output ").append(o).append(": ");
      if (e == null) {
        sb.append("dL").append(o).append("/d").append(w).append(" = 0 (").append(w)
            .append(" feeds ETA").append(s.weight().to()).append(" only)\n");
      } else {
        sb.append(renamed(chainHeader(e), depth, o)).append('\n')
            .append(chainRows(e).map(t -> renamed(t, depth, output)).render("  "));
      }
    }
  }

  /** The rows "sum" (the outputs' terms and their total) and "backprop" (what it is checked on). */
  private static Rows sumRows(ChainRule.Sum s) {
    int k = s.network().outputWidth();
    String w = s.weight().name();
    StringBuilder terms = new StringBuilder();
    StringBuilder values = new StringBuilder();
    for (int o = 1; o <= k; o++) {
      ChainRule.Explanation e = s.terms().get(o - 1);
      terms.append(o == 1 ? "= " : " + ").append("dL").append(o).append("/d").append(w);
      values.append(o == 1 ? "= " : " + ").append(num(e == null ? 0.0 : e.product()));
    }
    Rows sum = new Rows();
    sum.add("sum", terms.toString(), values.toString(), "= " + num(s.sum()));
    sum.add("backprop", "= RowBackprop's dL/d" + w, "", "= " + num(s.backprop()),
        "sum vs backprop: rel.error " + sci(s.sumRelError()));
    return sum;
  }

  /**
   * One output's chain text with the names of the whole network: ETA, Y and L become ETAo, Yo and
   * Lo, and the output layer's column 1 becomes column o.
   */
  private static String renamed(String text, int depth, int o) {
    return text.replaceAll("ETA(?![0-9])", "ETA" + o).replace("(Y - ", "(Y" + o + " - ")
        .replace("dL/d", "dL" + o + "/d")
        .replaceAll("W\\[" + depth + "]\\[(\\d+)]\\[1]", "W[" + depth + "][$1][" + o + "]");
  }

  /** The chain's factors in the textbook's order, their product and backprop's derivative. */
  private static Rows chainRows(ChainRule.Explanation e) {
    Network net = e.network();
    int depth = net.depth();
    String w = e.weight().name();
    Rows c = new Rows();
    c.add("dL/dETA", "= -2 (Y - ETA)", "", "= " + num(e.dLdEta()));
    int l = e.weight().layer();
    int to = e.weight().to();
    String h = e.unit(l, to);
    List<ChainRule.Step> steps = e.steps();
    for (int s = 0; s < steps.size(); s++) {
      ChainRule.Step st = steps.get(s);
      int m = st.layer();
      boolean last = s == steps.size() - 1;
      if (m == depth - 1) {
        // From the output: dETA/dH_m[j] = f'(ETA) * W[depth][j][1]; only H's own when m is H's layer.
        for (int j = 1; j <= st.dEtaDH().length; j++) {
          if (!last || j == to) {
            c.add("dETA/d" + e.unit(m, j), "= f'(ETA) * W[" + depth + "][" + j + "][1]",
                "= " + num(st.slopes()[0]) + " * " + num(st.weights()[j - 1][0]),
                "= " + num(st.dEtaDH()[j - 1]));
          }
        }
      } else if (!last) {
        // A layer in between: the whole vector, each entry a sum over the layer above.
        String up = ChainRule.layerName(net, m + 1);
        for (int j = 1; j <= st.dEtaDH().length; j++) {
          c.add("dETA/d" + e.unit(m, j), "= sum(dETA/d" + up + " * d" + up + "/d" + e.unit(m, j)
              + ")", "", "= " + num(st.dEtaDH()[j - 1]));
        }
      } else {
        // H's layer: the textbook's np.sum(dETA_dH2 * dH2_dH11), path by path.
        String up = ChainRule.layerName(net, m + 1);
        for (int k = 1; k <= st.above().length; k++) {
          String hk = e.unit(m + 1, k);
          c.add("d" + hk + "/d" + h, "= f'(" + hk + ") * W[" + (m + 1) + "][" + to + "][" + k + "]",
              "= " + num(st.slopes()[k - 1]) + " * " + num(st.weights()[to - 1][k - 1]),
              "= " + num(st.local(to - 1, k - 1)));
        }
        c.add("dETA/d" + h, "= sum(dETA/d" + up + " * d" + up + "/d" + h + ")");
        for (int k = 1; k <= st.above().length; k++) {
          String hk = e.unit(m + 1, k);
          c.add("", (k == 1 ? "    " : "  + ") + "dETA/d" + hk + " * d" + hk + "/d" + h,
              "= " + num(st.above()[k - 1]) + " * " + num(st.local(to - 1, k - 1)),
              "= " + num(st.term(to - 1, k - 1)));
        }
        c.add("", "", "", "= " + num(st.dEtaDH()[to - 1]));
      }
    }
    String input = e.weight().from() == 0 ? "1 (bias)" : e.unit(l - 1, e.weight().from());
    String dHdW = "d" + h + "/d" + w;
    c.add(dHdW, "= f'(" + h + ") * " + input,
        "= " + num(e.slopes()[l][to - 1]) + " * " + num(e.input()), "= " + num(e.dHdW()));
    c.add("product", l == depth ? "= dL/dETA * " + dHdW : "= dL/dETA * dETA/d" + h + " * " + dHdW,
        "", "= " + num(e.product()));
    c.add("backprop", "= RowBackprop's dL/d" + w, "", "= " + num(e.backprop()),
        "product vs backprop: rel.error " + sci(e.productRelError()));
    return c;
  }

  private static void checkRows(Rows c, ChainRule.NumericCheck check) {
    c.add("central difference", "= (L(w+h) - L(w-h)) / 2h" + (check.richardson()
        ? ", Richardson" : "") + ", h = " + compact(check.step()) + " * max(1, |w|)", "",
        "= " + num(check.central()), "vs backprop: rel.error " + sci(check.centralRelError()));
    c.add("textbook one-sided", "= (L - L_e) / e, W lowered by e = " + compact(check.e()), "",
        "= " + num(check.oneSided()), "vs backprop: rel.error " + sci(check.oneSidedRelError()));
  }

  private static void verdict(StringBuilder sb, String w, ChainRule.NumericCheck check,
      double loss, double threshold) {
    sb.append(String.format(Locale.ROOT, "  rounding of the one-sided difference alone: 2.2e-16 * L"
        + " / e = %.1e absolute (L = %.4g);%n  the central one forms L(w+h) - L(w-h) from the two"
        + " outputs p, q as (q - p)(2Y - p - q), without that cancellation%n",
        check.roundingEstimate(), loss));
    boolean ok = check.centralRelError() <= threshold;
    sb.append(String.format(Locale.ROOT,
        "agreement for %s: backprop vs central difference %s (threshold %s): %s%n", w,
        sci(check.centralRelError()), compact(threshold), ok ? "OK" : "FAILED"));
  }

  private static void weights(Network net, double[] weights, StringBuilder sb) {
    if (net.size() > LIST_WEIGHTS_UP_TO) {
      sb.append(net.size()).append(" weights (not listed)\n");
      return;
    }
    sb.append('\n').append("weights W[l][from][to], a row per from (0 the bias), a column per to:\n");
    for (int l = 1; l <= net.depth(); l++) {
      LayerSpec s = net.layer(l);
      Rows t = new Rows();
      String[] head = new String[s.out() + 1];
      head[0] = "W[" + l + "]";
      for (int to = 1; to <= s.out(); to++) {
        head[to] = " to " + to + " (" + ChainRule.unitName(net, l, to) + ")";
      }
      t.add(head);
      for (int from = 0; from <= s.in(); from++) {
        String[] row = new String[s.out() + 1];
        row[0] = "from " + from + (from == 0 ? " (bias)" : " ("
            + ChainRule.unitName(net, l - 1, from) + ")");
        for (int to = 1; to <= s.out(); to++) {
          row[to] = num(weights[net.index(l, from, to)]);
        }
        t.add(row);
      }
      sb.append(t.render("  "));
    }
  }

  private static void forward(Network net, double[][] activations, double[][] slopes,
      StringBuilder sb) {
    sb.append('\n').append("forward pass: a[l][j] = f(z), z = W[l][0][j] + sum_i W[l][i][j] a[l-1][i];"
        + " f'(z) from a (").append(slopeFormulas(net)).append("):\n");
    Rows fwd = new Rows();
    fwd.add("", "", " a", " f'(z)");
    for (int l = 0; l <= net.depth(); l++) {
      for (int j = 1; j <= activations[l].length; j++) {
        fwd.add(ChainRule.unitName(net, l, j), "a[" + l + "][" + j + "]",
            num(activations[l][j - 1]), l == 0 ? "" : num(slopes[l][j - 1]));
      }
    }
    sb.append(fwd.render("  "));
  }

  private static String chainHeader(ChainRule.Explanation e) {
    Network net = e.network();
    int depth = net.depth();
    int l = e.weight().layer();
    String w = e.weight().name();
    String h = e.unit(l, e.weight().to());
    if (l == depth) {
      return "chain: dL/d" + w + " = dL/dETA * dETA/d" + w;
    }
    String up = ChainRule.layerName(net, l + 1);
    String middle = l == depth - 1 ? "dETA/d" + h : "sum(dETA/d" + up + " * d" + up + "/d" + h + ")";
    return "chain: dL/d" + w + " = dL/dETA * " + middle + " * d" + h + "/d" + w;
  }

  /** The slope formula of each activation the network uses, e.g. "sigmoid: a (1 - a)". */
  private static String slopeFormulas(Network net) {
    List<String> seen = new ArrayList<>();
    for (LayerSpec s : net.layers()) {
      String f = switch (s.activation()) {
        case IDENTITY -> "identity: 1";
        case SIGMOID -> "sigmoid: a (1 - a)";
        case TANH -> "tanh: 1 - a^2";
        case RELU -> "relu: 1 if a > 0 else 0";
      };
      if (!seen.contains(f)) {
        seen.add(f);
      }
    }
    return String.join("; ", seen);
  }

  /** {@link #fmt} with a blank for the sign of a non-negative number, so that columns align. */
  private static String num(double v) {
    String s = fmt(v);
    return s.startsWith("-") ? s : " " + s;
  }

  private static String sci(double v) {
    return String.format(Locale.ROOT, "%.2e", v);
  }

  /** A setting as typed: 1e-4, 1e-6, 2.5e-5, 0.5. */
  private static String compact(double v) {
    return Double.toString(v).replace(".0E", "e").replace("E", "e");
  }

  /** A number as typed: integers without a fraction (2, 100), others in full. */
  private static String plain(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /**
   * Left-aligned text columns, each as wide as its widest cell. A cell followed by empty cells
   * runs on into them and does not widen its own column, nor does the last cell of a row;
   * trailing blanks are trimmed.
   */
  private static final class Rows {
    private final List<String[]> rows = new ArrayList<>();

    void add(String... cells) {
      rows.add(cells);
    }

    /** Every cell replaced by {@code f} of it (before the widths are measured). */
    Rows map(java.util.function.UnaryOperator<String> f) {
      for (String[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          r[i] = f.apply(r[i]);
        }
      }
      return this;
    }

    String render(String indent) {
      int cols = 0;
      for (String[] r : rows) {
        cols = Math.max(cols, r.length);
      }
      int[] width = new int[cols];
      for (String[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          if (next(r, i) == i + 1 && i + 1 < r.length) {
            width[i] = Math.max(width[i], r[i].length());
          }
        }
      }
      StringBuilder sb = new StringBuilder();
      for (String[] r : rows) {
        StringBuilder line = new StringBuilder(indent);
        int i = 0;
        while (i < r.length) {
          int j = next(r, i);
          line.append(r[i]);
          if (j < r.length) {
            int room = 0;
            for (int c = i; c < j; c++) {
              room += width[c] + 2;
            }
            line.append(" ".repeat(Math.max(1, room - r[i].length())));
          }
          i = j;
        }
        sb.append(line.toString().stripTrailing()).append('\n');
      }
      return sb.toString();
    }

    /** The next cell after i that is not empty (r.length if none); i + 1 after an empty cell. */
    private static int next(String[] r, int i) {
      if (r[i].isEmpty()) {
        return i + 1;
      }
      int j = i + 1;
      while (j < r.length && r[j].isEmpty()) {
        j++;
      }
      return j;
    }
  }
}
