package io.sparkbackprop.cli;

import io.sparkbackprop.io.WeightsFile;
import io.sparkbackprop.nn.ChainRule;
import io.sparkbackprop.nn.ChainRuleText;
import io.sparkbackprop.nn.GradientCheck;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Activation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradcheck}: backprop's derivative of the objective against finite differences, on every
 * weight. With no options it is the textbook's example: 2-2-2-1 sigmoid, one row X1=2, X2=3, Y=100,
 * weights from a seeded standard normal. With {@code --explain W[l][from][to]} it prints, instead of
 * the table, the textbook's chain of factors for that weight and one row ({@link ChainRule}).
 */
@Command(mixinStandardHelpOptions = true, versionProvider = CommonOptions.Version.class,
    name = "gradcheck", sortOptions = false, showDefaultValues = true,
    description = {"Compares backprop with finite differences on every weight.",
        "With no options: the textbook's 2-2-2-1 sigmoid network, one row X1=2, X2=3, Y=100,",
        "weights from a seeded standard normal."})
final class GradCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--layers", split = ",", paramLabel = "W", defaultValue = "2,2,2,1",
      description = "widths, input first (the textbook's: 2,2,2,1)")
  int[] layers;

  @Option(names = "--activation", paramLabel = "NAME[,NAME...]", defaultValue = "sigmoid",
      description = "one activation for every layer, or one per layer (identity, sigmoid, tanh,"
          + " relu)")
  String activation;

  @Option(names = "--output-activation", paramLabel = "NAME",
      description = "the last layer's activation (default: as --activation)")
  String outputActivation;

  @Option(names = "--weights", paramLabel = "FILE",
      description = "weights JSON {\"layers\",\"activations\",\"weights\"[l][from][to]},"
          + " 0-based, from = 0 the bias row (default: seeded N(0,1))")
  String weights;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "seed of the standard-normal weights")
  long seed;

  @Option(names = "--data", paramLabel = "FILE",
      description = "CSV or Parquet with named columns (default: one row X1=2, X2=3, Y=100)")
  String data;

  @Option(names = "--features", split = ",", paramLabel = "COL", defaultValue = "X1,X2",
      description = "feature columns")
  String[] features;

  @Option(names = "--label", paramLabel = "COL[,COL...]", defaultValue = "Y",
      description = "label column, or one per output of a network of several")
  String label;

  @Option(names = "--step", paramLabel = "H", defaultValue = "1e-4",
      description = "central-difference step, relative to max(1,|w|), in [1e-12, 1]")
  double step;

  @Option(names = "--no-richardson",
      description = "plain central differences, no Richardson extrapolation")
  boolean noRichardson;

  @Option(names = "--threshold", paramLabel = "T",
      description = "exit 1 when the max relative error exceeds T (default 1e-6; 1e-4 with"
          + " --precision float)")
  Double threshold;

  @Option(names = "--precision", paramLabel = "TYPE", defaultValue = "double",
      description = {"double: backprop against finite differences; float: the float kernel"
          + " against the double kernel, each entry's error relative to the gradient's largest"
          + " entry"})
  String precision;

  @Option(names = "--explain", arity = "0..1", fallbackValue = "W[1][1][1]",
      paramLabel = "W[l][from][to]",
      description = {"instead of the table, the chain rule for one weight and one row (the first"
          + " of --data): forward values, the textbook's factors, their product, backprop's dL/dW,"
          + " finite differences (several outputs: each output's chain and their sum); repeatable;"
          + " without a name W[1][1][1] (quote it in a shell:"
          + " --explain 'W[2][0][1]')"})
  List<String> explain = new ArrayList<>();

  /** The network to check and its weights. */
  private record Weighted(Network net, double[] w) {}

  /** The rows to check on: n x d features and n x k labels, column-major, and their name. */
  private record Rows(double[] x, double[] y, int n, String name) {}

  @Override public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Weighted nw = weighted();
    Network net = nw.net();
    List<ChainRule.Weight> explained = new ArrayList<>();
    for (String name : explain) {
      explained.add(explainedWeight(net, name));
    }
    Rows rows = data != null ? dataRows(net) : textbookRow(net);
    if (features.length != net.inputWidth()) {
      throw new UsageException("gradcheck: network takes " + net.inputWidth() + " inputs but "
          + features.length + " features were named (" + String.join(",", features) + ")");
    }
    boolean inFloat = switch (precision.toLowerCase(java.util.Locale.ROOT)) {
      case "double" -> false;
      case "float" -> true;
      default -> throw new UsageException("gradcheck: --precision must be double or float, got "
          + precision);
    };
    double threshold = this.threshold != null ? this.threshold : inFloat ? 1e-4 : 1e-6;
    if (!(step >= 1e-12 && step <= 1) || !(threshold >= 0)) {
      throw new UsageException("gradcheck: --step must be in [1e-12, 1] and --threshold >= 0, got "
          + step + " and " + threshold);
    }
    if (!explained.isEmpty()) {
      return explain(net, nw.w(), rows.x(), rows.y(), rows.n(), rows.name(), explained, step,
          !noRichardson, threshold, out);
    }
    if (inFloat) {
      return floatCheck(net, nw.w(), rows.x(), rows.y(), rows.n(), rows.name(), threshold, out);
    }
    return doubleCheck(net, nw.w(), rows, threshold, out);
  }

  /** From --weights (checked against --layers when both are given), else seeded N(0,1). */
  private Weighted weighted() {
    if (weights == null) {
      Network net = network(layers, activation, outputActivation);
      return new Weighted(net, net.standardNormalWeights(seed));
    }
    WeightsFile.Loaded loaded = WeightsFile.read(Path.of(weights));
    Network net = loaded.network();
    if (spec.commandLine().getParseResult().hasMatchedOption("--layers")
        && !Arrays.equals(layers, net.widths())) {
      throw new UsageException("gradcheck: --layers " + Network.joinWidths(layers, ",")
          + " does not match " + weights + " (layers " + Arrays.toString(net.widths()) + ")");
    }
    return new Weighted(net, loaded.weights());
  }

  /** The rows of --data: the features, and one label column per output. */
  private Rows dataRows(Network net) {
    String[] labels = label.split(",");
    if (labels.length != net.outputWidth()) {
      throw new UsageException("gradcheck: " + labels.length + " label column"
          + (labels.length == 1 ? "" : "s") + " (" + label + ") need an output width of "
          + labels.length + ", layers end in " + net.outputWidth());
    }
    Table t = Table.read(data, features, labels[0]);
    int n = t.rows();
    // n x k labels, column-major: output k's column after output k-1's.
    double[] y = new double[n * labels.length];
    System.arraycopy(t.labels(), 0, y, 0, n);
    for (int k = 1; k < labels.length; k++) {
      System.arraycopy(Table.read(data, features, labels[k]).labels(), 0, y, k * n, n);
    }
    return new Rows(t.features(), y, n, data + " (" + n + " rows)");
  }

  /** The textbook's row X1=2, X2=3, Y=100 (the same Y for every output). */
  private static Rows textbookRow(Network net) {
    if (net.inputWidth() != 2) {
      throw new UsageException("gradcheck: without --data the row is the textbook's (X1=2,"
          + " X2=3): 2 inputs, but the network takes " + net.inputWidth() + "; give --data FILE");
    }
    double[] y = new double[net.outputWidth()];
    Arrays.fill(y, 100.0);
    return new Rows(new double[] {2.0, 3.0}, y, 1, "the textbook's row X1=2, X2=3, Y=100"
        + (net.outputWidth() > 1 ? " for each of the " + net.outputWidth() + " outputs" : ""));
  }

  /** The table of backprop's dJ/dW against finite differences; exit 1 above the threshold. */
  private int doubleCheck(Network net, double[] w, Rows rows, double threshold, PrintWriter out) {
    double[] x = rows.x();
    double[] y = rows.y();
    int n = rows.n();
    boolean richardson = !noRichardson;
    double objective = GradientCheck.objective(net, w, x, y, n);
    out.println("gradcheck: network " + net + " (" + net.size() + " weights), " + rows.name());
    out.println("loss per row L = " + (net.outputWidth() == 1 ? "(y - yhat)^2"
        : "sum_k (y_k - yhat_k)^2 over the " + net.outputWidth() + " outputs")
        + "; objective J = (1/n) sum L = " + fmt(objective));
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

  private static int floatCheck(Network net, double[] w, double[] x, double[] y, int n,
      String dataName, double threshold, PrintWriter out) {
    out.println("gradcheck: network " + net + " (" + net.size() + " weights), " + dataName);
    out.println("float kernel (sgemm, weights and data rounded to float) against the double kernel;"
        + " error = |float - double| / max |double|");
    out.printf("%-14s %25s %25s %10s%n", "weight", "float dJ/dW", "double dJ/dW", "error");
    GradientCheck.Result r = GradientCheck.floatAgainstDouble(net, w, x, y, n);
    for (GradientCheck.Entry e : r.entries()) {
      out.printf("%-14s %25s %25s %10.2e%n", e.name(), fmt(e.backprop()), fmt(e.numeric()),
          e.relError());
    }
    boolean ok = r.maxRelError() <= threshold;
    out.printf("max error %.3e (threshold %.1e): %s%n", r.maxRelError(), threshold,
        ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
  }

  /**
   * A network from widths and activation names: {@code activation} is one name for every layer
   * or a comma list with one per layer; {@code output}, when given, sets the last layer's.
   */
  static Network network(int[] widths, String activation, String output) {
    if (widths.length < 2) {
      throw new UsageException("gradcheck: --layers needs an input and an output width, got "
          + Arrays.toString(widths));
    }
    for (int width : widths) {
      if (width < 1) {
        throw new UsageException("gradcheck: --layers widths must be at least 1, got "
            + Network.joinWidths(widths, ","));
      }
    }
    int layers = widths.length - 1;
    String[] names = activation.split(",");
    Activation[] acts = new Activation[layers];
    try {
      if (names.length == 1) {
        Arrays.fill(acts, Activation.parse(names[0]));
      } else if (names.length == layers || (names.length == layers - 1 && output != null)) {
        for (int i = 0; i < names.length; i++) {
          acts[i] = Activation.parse(names[i]);
        }
      } else {
        throw new UsageException("gradcheck: --activation has " + names.length + " names; layers "
            + Arrays.toString(widths) + " need 1 or " + layers);
      }
      if (output != null) {
        acts[layers - 1] = Activation.parse(output);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("gradcheck: " + e.getMessage());
    }
    return Network.of(widths, acts);
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
      double threshold, PrintWriter out) {
    double[] row = new double[net.inputWidth()];
    for (int j = 0; j < row.length; j++) {
      row[j] = x[j * n];
    }
    out.println("gradcheck --explain: network " + net + " (" + net.size() + " weights), " + dataName
        + (n > 1 ? ", its first row" : ""));
    boolean ok = true;
    double[] targets = new double[net.outputWidth()];
    for (int k = 0; k < targets.length; k++) {
      targets[k] = y[k * n];
    }
    for (ChainRule.Weight wt : weights) {
      if (targets.length > 1) {
        // Several outputs: the chain of each output and their sum.
        ChainRule.Sum s = ChainRule.explainSum(net, w, row, targets, wt);
        ChainRule.NumericCheck c = ChainRule.numeric(s, step, richardson);
        out.println();
        out.print(ChainRuleText.render(s, c, threshold));
        ok &= c.centralRelError() <= threshold;
        continue;
      }
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
      GradientCheck.Result r, PrintWriter out) {
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
