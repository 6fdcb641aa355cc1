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
    weights(e, sb);
    forward(e, sb);

    sb.append('\n').append(chainHeader(e)).append('\n');
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
    if (check != null) {
      c.add("central difference", "= (L(w+h) - L(w-h)) / 2h" + (check.richardson()
          ? ", Richardson" : "") + ", h = " + compact(check.step()) + " * max(1, |w|)", "",
          "= " + num(check.central()), "vs backprop: rel.error " + sci(check.centralRelError()));
      c.add("textbook one-sided", "= (L - L_e) / e, W lowered by e = " + compact(check.e()), "",
          "= " + num(check.oneSided()), "vs backprop: rel.error " + sci(check.oneSidedRelError()));
    }
    sb.append(c.render("  "));
    if (check != null) {
      sb.append(String.format(Locale.ROOT, "  rounding of the one-sided difference alone: 2.2e-16 * L"
          + " / e = %.1e absolute (L = %.4g);%n  the central one forms L(w+h) - L(w-h) from the two"
          + " outputs p, q as (q - p)(2Y - p - q), without that cancellation%n",
          check.roundingEstimate(), e.loss()));
      boolean ok = check.centralRelError() <= threshold;
      sb.append(String.format(Locale.ROOT,
          "agreement for %s: backprop vs central difference %s (threshold %s): %s%n", w,
          sci(check.centralRelError()), compact(threshold), ok ? "OK" : "FAILED"));
    }
    return sb.toString();
  }

  private static void weights(ChainRule.Explanation e, StringBuilder sb) {
    Network net = e.network();
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
        head[to] = " to " + to + " (" + e.unit(l, to) + ")";
      }
      t.add(head);
      for (int from = 0; from <= s.in(); from++) {
        String[] row = new String[s.out() + 1];
        row[0] = "from " + from + (from == 0 ? " (bias)" : " (" + e.unit(l - 1, from) + ")");
        for (int to = 1; to <= s.out(); to++) {
          row[to] = num(e.weights()[net.index(l, from, to)]);
        }
        t.add(row);
      }
      sb.append(t.render("  "));
    }
  }

  private static void forward(ChainRule.Explanation e, StringBuilder sb) {
    Network net = e.network();
    sb.append('\n').append("forward pass: a[l][j] = f(z), z = W[l][0][j] + sum_i W[l][i][j] a[l-1][i];"
        + " f'(z) from a (").append(slopeFormulas(net)).append("):\n");
    Rows fwd = new Rows();
    fwd.add("", "", " a", " f'(z)");
    for (int l = 0; l <= net.depth(); l++) {
      for (int j = 1; j <= e.activations()[l].length; j++) {
        fwd.add(e.unit(l, j), "a[" + l + "][" + j + "]", num(e.activations()[l][j - 1]),
            l == 0 ? "" : num(e.slopes()[l][j - 1]));
      }
    }
    sb.append(fwd.render("  "));
    sb.append("  L = (Y - ETA)^2 = ").append(fmt(e.loss())).append('\n');
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
