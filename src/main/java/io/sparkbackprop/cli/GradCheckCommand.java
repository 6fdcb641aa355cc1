package io.sparkbackprop.cli;

import io.sparkbackprop.io.WeightsFile;
import io.sparkbackprop.nn.ChainRule;
import io.sparkbackprop.nn.ChainRuleText;
import io.sparkbackprop.nn.GradientCheck;
import io.sparkbackprop.nn.Network;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code gradcheck}: backprop's derivative of the objective against finite differences, on every
 * weight. With no options it is the textbook's example: 2-2-2-1 sigmoid, one row X1=2, X2=3, Y=100,
 * weights from a seeded standard normal. With {@code --explain W[l][from][to]} it prints, instead of
 * the table, the textbook's chain of factors for that weight and one row ({@link ChainRule}).
 */
final class GradCheckCommand {
  private static final Set<String> VALUED = Set.of("layers", "activation", "output-activation",
      "weights", "data", "features", "label", "seed", "step", "threshold");
  private static final Set<String> SWITCHES = Set.of("help", "no-richardson");
  /** Takes a weight name, or none: the textbook's W[1][1][1]. */
  private static final Set<String> OPTIONAL = Set.of("explain");

  private GradCheckCommand() {}

  static int run(String[] argv, PrintStream out) {
    Args a = Args.parse("gradcheck", argv, VALUED, SWITCHES, OPTIONAL);
    if (a.flag("help")) {
      out.print("""
          usage: gradcheck [options]
            --layers 2,2,2,1        widths, input first (default 2,2,2,1: the textbook's)
            --activation NAME[,..]  one activation for every layer, or one per layer
                                    (identity, sigmoid, tanh, relu; default sigmoid)
            --output-activation N   the last layer's activation (default: as --activation)
            --weights FILE          weights JSON {"layers","activations","weights"[l][from][to]},
                                    0-based, from = 0 the bias row (default: seeded N(0,1))
            --seed N                seed of the standard-normal weights (default 1)
            --data FILE             CSV or Parquet with named columns (default: one row
                                    X1=2, X2=3, Y=100)
            --features A,B          feature columns (default X1,X2)
            --label COL             label column (default Y)
            --step H                central-difference step, relative to max(1,|w|) (default 1e-4)
            --no-richardson         plain central differences, no Richardson extrapolation
            --threshold T           exit 1 when the max relative error exceeds T (default 1e-6)
            --explain [W[l][from][to]]
                                    instead of the table, the chain rule for one weight and one
                                    row (the first of --data): forward values, the textbook's
                                    factors, their product, backprop's dL/dW, finite differences;
                                    repeatable; without a name W[1][1][1] (quote it in a shell:
                                    --explain 'W[2][0][1]')
          """);
      return 0;
    }
    Network net;
    double[] w;
    if (a.has("weights")) {
      WeightsFile.Loaded loaded = WeightsFile.read(Path.of(a.require("weights")));
      net = loaded.network();
      w = loaded.weights();
      if (a.has("layers") && !java.util.Arrays.equals(a.getIntList("layers", null), net.widths())) {
        throw new UsageException("gradcheck: --layers " + a.get("layers", "") + " does not match "
            + a.require("weights") + " (layers " + java.util.Arrays.toString(net.widths()) + ")");
      }
    } else {
      net = Cli.network("gradcheck", a.getIntList("layers", new int[] {2, 2, 2, 1}),
          a.get("activation", "sigmoid"), a.get("output-activation", null));
      w = net.standardNormalWeights(a.getLong("seed", 1L));
    }
    List<ChainRule.Weight> explain = new ArrayList<>();
    for (String name : a.getAll("explain")) {
      explain.add(explainedWeight(net, name));
    }
    String label = a.get("label", "Y");
    String[] features = a.get("features", "X1,X2").split(",");
    double[] x;
    double[] y;
    int n;
    String dataName;
    if (a.has("data")) {
      Table t = Table.read(a.require("data"), features, label);
      n = t.rows();
      x = t.features();
      y = t.labels();
      dataName = a.require("data") + " (" + n + " rows)";
    } else {
      n = 1;
      x = new double[] {2.0, 3.0};
      y = new double[] {100.0};
      dataName = "the textbook's row X1=2, X2=3, Y=100";
    }
    if (features.length != net.inputWidth()) {
      throw new UsageException("gradcheck: network takes " + net.inputWidth() + " inputs but "
          + features.length + " features were named (" + String.join(",", features) + ")");
    }
    if (net.outputWidth() != 1) {
      throw new UsageException("gradcheck: one label column needs an output width of 1, layers end in "
          + net.outputWidth());
    }
    double step = a.getDouble("step", 1e-4, 1e-12, 1.0);
    double threshold = a.getDouble("threshold", 1e-6, 0, Double.MAX_VALUE);
    boolean richardson = !a.flag("no-richardson");
    if (!explain.isEmpty()) {
      return explain(net, w, x, y, n, dataName, explain, step, richardson, threshold, out);
    }

    double objective = GradientCheck.objective(net, w, x, y, n);
    out.println("gradcheck: network " + net + " (" + net.size() + " weights), " + dataName);
    out.println("loss per row L = (y - yhat)^2; objective J = (1/n) sum L = "
        + fmt(objective));
    out.println("numeric: central differences" + (richardson ? ", Richardson-extrapolated" : "")
        + ", step h = " + step + " * max(1, |w|)");
    out.printf("%-14s %25s %25s %10s%n", "weight", "backprop dJ/dW", "numeric", "rel.error");
    GradientCheck.Result r = GradientCheck.check(net, w, x, y, n, step, richardson);
    for (GradientCheck.Entry e : r.entries()) {
      out.printf("%-14s %25s %25s %10.2e%n", e.name(), fmt(e.backprop()), fmt(e.numeric()),
          e.relError());
    }
    if (net.depth() >= 1 && net.layer(1).in() >= 1) {
      textbookOneSided(net, w, x, y, n, r, out);
    }
    boolean ok = r.maxRelError() <= threshold;
    out.printf("max relative error %.3e (threshold %.1e): %s%n", r.maxRelError(), threshold,
        ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
  }

  /** The weight named by one {@code --explain} value ("" for the textbook's W[1][1][1]). */
  private static ChainRule.Weight explainedWeight(Network net, String name) {
    if (name.isBlank()) {
      return ChainRule.Weight.TEXTBOOK;
    }
    ChainRule.Weight wt;
    try {
      wt = ChainRule.Weight.parse(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("gradcheck: --explain " + e.getMessage() + "; "
          + ChainRule.validRange(net));
    }
    try {
      wt.index(net);
    } catch (IllegalArgumentException e) {
      throw new UsageException("gradcheck: --explain " + e.getMessage());
    }
    return wt;
  }

  /** {@code --explain}: the chain of each named weight on the first row; exit 1 if any disagrees. */
  private static int explain(Network net, double[] w, double[] x, double[] y, int n,
      String dataName, List<ChainRule.Weight> weights, double step, boolean richardson,
      double threshold, PrintStream out) {
    double[] row = new double[net.inputWidth()];
    for (int j = 0; j < row.length; j++) {
      row[j] = x[j * n];
    }
    out.println("gradcheck --explain: network " + net + " (" + net.size() + " weights), " + dataName
        + (n > 1 ? ", its first row" : ""));
    boolean ok = true;
    for (ChainRule.Weight wt : weights) {
      ChainRule.Explanation e = ChainRule.explain(net, w, row, y[0], wt);
      ChainRule.NumericCheck c = ChainRule.numeric(e, step, richardson);
      out.println();
      out.print(ChainRuleText.render(e, c, threshold));
      ok &= c.centralRelError() <= threshold;
    }
    return ok ? 0 : 1;
  }

  /** The textbook's own check of W[1][1][1]: (L - L_e) / e with W[1][1][1] lowered by e = 1e-6. */
  private static void textbookOneSided(Network net, double[] w, double[] x, double[] y, int n,
      GradientCheck.Result r, PrintStream out) {
    int i = net.index(1, 1, 1);
    double e = 1e-6;
    double l0 = GradientCheck.objective(net, w, x, y, n);
    double saved = w[i];
    w[i] = saved - e;
    double le = GradientCheck.objective(net, w, x, y, n);
    w[i] = saved;
    double oneSided = (l0 - le) / e;
    double bp = r.entries().get(i).backprop();
    out.println();
    out.println("textbook check of W[1][1][1]: one-sided (L - L_e)/e, e = 1e-6");
    out.printf("  backprop %s  one-sided %s  rel.error %.2e%n", fmt(bp), fmt(oneSided),
        GradientCheck.relativeError(bp, oneSided));
    out.printf("  expected disagreement: truncation ~ e*|d2L/dw2|/2 plus rounding ~ 2.2e-16 * L / e"
        + " = %.1e absolute (L = %.4g); the central differences above avoid both.%n",
        2.2e-16 * l0 / e, l0);
    out.println();
  }

  /** Full double precision: 17 significant digits. */
  static String fmt(double v) {
    return String.format("%.16e", v);
  }
}
