package io.sparkbackprop.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The textbook's chain of factors for one weight and one row, with {@link RowBackprop}'s numbers.
 *
 * <p>For a network with one output ETA, a row (x, y), the loss {@code L = (y - ETA)^2} and a
 * weight W[l][from][to] into unit H = a[l][to], the chain rule reads, one factor per layer:
 * <pre>
 *   dL/dW[l][from][to] = dL/dETA * dETA/dH * dH/dW[l][from][to]
 *     dL/dETA  = -2 (y - ETA)
 *     dETA/dH  = sum_k dETA/dH'_k * dH'_k/dH          over the units H'_k of layer l + 1
 *              (the textbook's np.sum(dETA_dH2 * dH2_dH11)), with dH'_k/dH = f'(H'_k) * W[l+1][to][k],
 *              and dETA/dH'_k the same sum one layer up; at the top dETA/dH_k = f'(ETA) * W[L][k][1]
 *     dH/dW    = f'(H) * input,   input = a[l-1][from], or 1 for the bias (from = 0)
 * </pre>
 * When the weight is in the output layer the middle factor is absent: dL/dW = dL/dETA * dETA/dW.
 * With k outputs, L = sum_k (Y_k - ETA_k)^2 and dL/dW is the sum over k of that chain for ETA_k
 * alone ({@link #explainSum}).
 *
 * <p>Where the numbers come from: nothing here repeats the backward recurrence. The forward values,
 * L, dL/dETA and backprop's dL/dW are those of {@link RowBackprop#lossAndGradient}. The dETA/dH
 * factors are derived from the dL/dH that pass stores ({@link RowBackprop#activationGradients},
 * the sums sum_k W * delta_k that it multiplies by f' to get delta): dETA/dH = (dL/dH) / (dL/dETA).
 * So the product of the factors is backprop's derivative to a few roundings, however much a
 * layer's sum cancels. When Y = ETA, dL/dETA = 0 and every dL/dH is 0; the dETA/dH are then read
 * from RowBackprop's pass started at dETA/dETA = 1 ({@link RowBackprop#backward}) instead. What is
 * computed here is only what the textbook writes out: the slopes f' (from each unit's output, as
 * RowBackprop does), the local derivatives f'(H'_k) * W, the per-path terms of the sums, dH/dW
 * and the product.
 */
public final class ChainRule {
  private static final Pattern NAME =
      Pattern.compile("\\s*[Ww]\\[\\s*(\\d{1,9})\\s*]\\[\\s*(\\d{1,9})\\s*]\\[\\s*(\\d{1,9})\\s*]\\s*");

  private ChainRule() {}

  /** A weight W[layer][from][to] in the textbook's naming (from = 0 the bias). */
  public record Weight(int layer, int from, int to) {
    /** The textbook's own example, W[1][1][1]: the first input's weight into H11. */
    public static final Weight TEXTBOOK = new Weight(1, 1, 1);

    /**
     * Parses {@code W[l][from][to]} (also lower-case {@code w}, spaces allowed inside).
     *
     * @throws IllegalArgumentException when {@code s} is not of that form
     */
    public static Weight parse(String s) {
      Matcher m = NAME.matcher(s == null ? "" : s);
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + s + "' is not a weight name W[l][from][to]");
      }
      return new Weight(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)));
    }

    public String name() {
      return "W[" + layer + "][" + from + "][" + to + "]";
    }

    /** Whether the network has this weight. */
    public boolean existsIn(Network net) {
      return layer >= 1 && layer <= net.depth() && from >= 0 && from <= net.layer(layer).in()
          && to >= 1 && to <= net.layer(layer).out();
    }

    /**
     * Its index in the network's flat weights.
     *
     * @throws IllegalArgumentException naming the weight and every valid range, when it does not exist
     */
    public int index(Network net) {
      if (!existsIn(net)) {
        throw new IllegalArgumentException(name() + ": no such weight; " + validRange(net));
      }
      return net.index(layer, from, to);
    }
  }

  /**
   * The weights a network has, layer by layer, e.g. for 2-2-2-1
   * {@code "2-2-2-1 has W[1][0..2][1..2], W[2][0..2][1..2], W[3][0..2][1] (from = 0 is the bias)"}.
   */
  public static String validRange(Network net) {
    StringBuilder sb = new StringBuilder(Network.joinWidths(net.widths(), "-")).append(" has ");
    for (int l = 1; l <= net.depth(); l++) {
      LayerSpec s = net.layer(l);
      sb.append(l == 1 ? "" : ", ").append("W[").append(l).append("][0..").append(s.in())
          .append("][").append(s.out() == 1 ? "1" : "1.." + s.out()).append(']');
    }
    return sb.append(" (from = 0 is the bias)").toString();
  }

  /**
   * One link of the chain: the derivatives dETA/dH of the units of hidden layer {@code layer}
   * (m below), and what they are made of one layer up, the textbook's vector product:
   * <pre>
   *   dETA/dH_m[j] = sum_k dETA/dH_{m+1}[k] * dH_{m+1}[k]/dH_m[j],
   *   dH_{m+1}[k]/dH_m[j] = f'(H_{m+1}[k]) * W[m+1][j][k]
   * </pre>
   * Indices are 0-based here: {@code j} = unit j + 1 of layer m, {@code k} = unit k + 1 of m + 1.
   * {@code dEtaDH} is the factor the chain uses (from RowBackprop); {@link #sum} adds up the
   * displayed paths, which agrees with it to rounding. The arrays belong to the record; do not
   * modify them.
   *
   * @param layer m, a hidden layer (1 .. depth - 1)
   * @param above dETA/dH_{m+1}[k]; {1} when layer m + 1 is the output (dETA/dETA)
   * @param slopes f'(H_{m+1}[k]), from the units' outputs
   * @param weights weights[j][k] = W[m+1][j+1][k+1]
   * @param dEtaDH dETA/dH_m[j]
   */
  public record Step(int layer, double[] above, double[] slopes, double[][] weights,
      double[] dEtaDH) {
    /** dH_{m+1}[k] / dH_m[j] = f'(H_{m+1}[k]) * W[m+1][j+1][k+1]: the textbook's dH2_dH11. */
    public double local(int j, int k) {
      return slopes[k] * weights[j][k];
    }

    /** The path through unit k of layer m + 1: dETA/dH_{m+1}[k] * dH_{m+1}[k]/dH_m[j]. */
    public double term(int j, int k) {
      return above[k] * local(j, k);
    }

    /** sum_k term(j, k): the textbook's np.sum(dETA_dH2 * dH2_dH11). */
    public double sum(int j) {
      double s = 0.0;
      for (int k = 0; k < above.length; k++) {
        s += term(j, k);
      }
      return s;
    }
  }

  /**
   * The whole explanation of dL/dW for one row. Arrays belong to the record; do not modify them.
   *
   * @param network the network
   * @param weight which weight
   * @param weights every weight of the network, flat (a copy)
   * @param value its value
   * @param activations a[l] for l = 0 (the row's inputs) .. depth (ETA, one value)
   * @param slopes f'(z) of every unit from its output, slopes[l] for l = 1..depth (slopes[0] empty)
   * @param y the row's target Y
   * @param loss L = (Y - ETA)^2
   * @param dLdEta -2 (Y - ETA)
   * @param steps the links from the output down to the weight's layer (empty when the weight is in
   *     the output layer): steps.get(0) is layer depth - 1, the last is the weight's layer
   * @param dEtaDH dETA/dH for the weight's unit H = a[layer][to] (1 when H is ETA)
   * @param input what the weight multiplies: a[layer-1][from], or 1 for the bias
   * @param dHdW f'(H) * input
   * @param product dLdEta * dEtaDH * dHdW
   * @param backprop RowBackprop's dL/dW (lossAndGradient)
   */
  public record Explanation(Network network, Weight weight, double[] weights, double value,
      double[][] activations,
      double[][] slopes, double y, double loss, double dLdEta, List<Step> steps, double dEtaDH,
      double input, double dHdW, double product, double backprop) {
    public double eta() {
      return activations[network.depth()][0];
    }

    /** The textbook's name of unit j (1-based) of layer l: X1, H11 (or H1_10), ETA. */
    public String unit(int l, int j) {
      return unitName(network, l, j);
    }

    /** Relative error of the chain's product against backprop's derivative. */
    public double productRelError() {
      return GradientCheck.relativeError(product, backprop);
    }
  }

  /** Backprop's derivative against finite differences of the row's loss, for one weight. */
  public record NumericCheck(double step, boolean richardson, double central, double centralRelError,
      double e, double oneSided, double oneSidedRelError, double roundingEstimate) {}

  /** The one-sided difference's step, as the textbook's: e = 1e-6. */
  public static final double TEXTBOOK_E = 1e-6;

  /**
   * The chain of factors of dL/dW for one row.
   *
   * @param w flat weights (not modified)
   * @param x the row's inputs (not modified)
   * @param y the row's target
   * @throws IllegalArgumentException when the network has more than one output, the lengths do
   *     not match, or the weight does not exist
   */
  public static Explanation explain(Network net, double[] w, double[] x, double y, Weight weight) {
    net.checkLength(w);
    if (net.outputWidth() != 1) {
      throw new IllegalArgumentException("the chain is written for one output ETA; " + net
          + " has " + net.outputWidth());
    }
    if (x.length != net.inputWidth()) {
      throw new IllegalArgumentException("the row has " + x.length + " inputs, " + net + " takes "
          + net.inputWidth());
    }
    int index = weight.index(net);
    int depth = net.depth();
    int l = weight.layer();

    // The loss's backprop, as training runs it: forward values, L, dL/dETA, dL/dH and dL/dW.
    RowBackprop pass = new RowBackprop(net);
    double[] grad = new double[net.size()];
    double loss = pass.lossAndGradient(w, x, new double[] {y}, grad);
    double dLdEta = pass.activationGradients(depth)[0];
    double scale = dLdEta;
    double[][] a = new double[depth + 1][];
    for (int m = 0; m <= depth; m++) {
      a[m] = pass.activations(m);
    }
    if (dLdEta == 0.0) {
      // Y = ETA: every dL/dH is 0. The output's own pass, from dETA/dETA = 1, gives the dETA/dH.
      pass = new RowBackprop(net);
      pass.forward(w, x);
      pass.backward(w, new double[] {1.0}, new double[net.size()]);
      scale = 1.0;
    }

    double[][] slopes = slopes(net, a);
    double[][] dEtaDHs = dEtaDHs(net, pass, scale, l);
    List<Step> steps = new ArrayList<>();
    for (int m = depth - 1; m >= l; m--) {
      steps.add(new Step(m, dEtaDHs[m + 1], slopes[m + 1], layerWeights(net, w, m + 1),
          dEtaDHs[m]));
    }

    int to = weight.to();
    double dEtaDH = dEtaDHs[l][to - 1];
    double input = weight.from() == 0 ? 1.0 : a[l - 1][weight.from() - 1];
    double dHdW = slopes[l][to - 1] * input;
    double product = l == depth ? dLdEta * dHdW : dLdEta * dEtaDH * dHdW;
    return new Explanation(net, weight, w.clone(), w[index], a, slopes, y, loss, dLdEta, List.copyOf(steps),
        dEtaDH, input, dHdW, product, grad[index]);
  }

  /** f'(z) of every unit from its output a (slopes[0] empty: the inputs have none). */
  private static double[][] slopes(Network net, double[][] a) {
    int depth = net.depth();
    double[][] slopes = new double[depth + 1][];
    slopes[0] = new double[0];
    for (int m = 1; m <= depth; m++) {
      Activation f = net.layer(m).activation();
      slopes[m] = new double[a[m].length];
      for (int j = 0; j < a[m].length; j++) {
        slopes[m][j] = f.derivativeFromOutput(a[m][j]);
      }
    }
    return slopes;
  }

  /**
   * dETA/dH_m = (dL/dH_m) / scale (scale = dL/dETA, or 1 for the output's own pass), for the
   * layers from the output's down to layer l.
   */
  private static double[][] dEtaDHs(Network net, RowBackprop pass, double scale, int l) {
    int depth = net.depth();
    double[][] dEtaDHs = new double[depth + 1][];
    dEtaDHs[depth] = new double[] {1.0};
    for (int m = depth - 1; m >= l; m--) {
      double[] dLdH = pass.activationGradients(m);
      dEtaDHs[m] = new double[dLdH.length];
      for (int j = 0; j < dLdH.length; j++) {
        dEtaDHs[m][j] = dLdH[j] / scale;
      }
    }
    return dEtaDHs;
  }

  /** Layer l's weights W[l][from][to] without the bias row, as [from - 1][to - 1]. */
  private static double[][] layerWeights(Network net, double[] w, int l) {
    LayerSpec layer = net.layer(l);
    double[][] wl = new double[layer.in()][layer.out()];
    for (int j = 0; j < layer.in(); j++) {
      for (int k = 0; k < layer.out(); k++) {
        wl[j][k] = w[net.index(l, j + 1, k + 1)];
      }
    }
    return wl;
  }

  /**
   * The explanation's backprop derivative against the row's loss differenced numerically: the
   * central difference of {@link GradientCheck#numericDerivative} (one row, so J = L), and the
   * textbook's one-sided {@code (L - L_e) / e} with the weight lowered by e = 1e-6, whose rounding
   * alone is about {@code 2.2e-16 * L / e} absolute (L is formed to about one ulp of itself and
   * the difference is divided by e).
   *
   * @param step the central difference's relative step h = step * max(1, |w|)
   */
  public static NumericCheck numeric(Explanation e, double step, boolean richardson) {
    return numeric(e.network(), e.weights(), e.activations()[0], new double[] {e.y()},
        e.weight().index(e.network()), e.backprop(), step, richardson);
  }

  /** {@link #numeric(Explanation, double, boolean)} for the summed loss of several outputs. */
  public static NumericCheck numeric(Sum s, double step, boolean richardson) {
    return numeric(s.network(), s.weights(), s.x(), s.y(), s.weight().index(s.network()),
        s.backprop(), step, richardson);
  }

  private static NumericCheck numeric(Network net, double[] weights, double[] x, double[] y,
      int i, double backprop, double step, boolean richardson) {
    double[] w = weights.clone();
    double central = GradientCheck.numericDerivative(net, w, x, y, 1, i, step, richardson);
    double l0 = GradientCheck.objective(net, w, x, y, 1);
    double saved = w[i];
    w[i] = saved - TEXTBOOK_E;
    double le = GradientCheck.objective(net, w, x, y, 1);
    w[i] = saved;
    double oneSided = (l0 - le) / TEXTBOOK_E;
    return new NumericCheck(step, richardson, central,
        GradientCheck.relativeError(backprop, central), TEXTBOOK_E, oneSided,
        GradientCheck.relativeError(backprop, oneSided), Math.ulp(1.0) * l0 / TEXTBOOK_E);
  }

  /**
   * dL/dW for one row of a network of k outputs, {@code L = sum_k (Y_k - ETA_k)^2}: the sum over
   * the outputs of {@code dL_k/dW}, {@code L_k = (Y_k - ETA_k)^2}. Each term is the one-output
   * chain ({@link #explain}) of the network restricted to output k ({@link #restrictedToOutput}):
   * ETA_k depends on the weights below the output layer and on output k's own column only. So a
   * weight of the output layer into ETA_j has one non-zero term, j's. Arrays belong to the
   * record; do not modify them.
   *
   * @param terms per output k (0-based), the chain of L_k; null where the term is 0 (a weight of
   *     the output layer into another output)
   * @param activations a[l] of the whole network, l = 0 (the row's inputs) .. depth (ETA_1..k)
   * @param loss L = sum_k (Y_k - ETA_k)^2
   * @param sum the terms' sum
   * @param backprop RowBackprop's dL/dW of the whole network (lossAndGradient)
   */
  public record Sum(Network network, Weight weight, double[] weights, double value, double[] x,
      double[] y, List<Explanation> terms, double[][] activations, double loss, double sum,
      double backprop) {
    /** Relative error of the terms' sum against backprop's derivative. */
    public double sumRelError() {
      return GradientCheck.relativeError(sum, backprop);
    }
  }

  /**
   * The per-output chains of dL/dW for one row and their sum (any output width; one term when
   * k = 1).
   *
   * @param y the row's targets Y_1..Y_k
   * @throws IllegalArgumentException when the lengths do not match or the weight does not exist
   */
  public static Sum explainSum(Network net, double[] w, double[] x, double[] y, Weight weight) {
    net.checkLength(w);
    int k = net.outputWidth();
    if (y.length != k || x.length != net.inputWidth()) {
      throw new IllegalArgumentException("the row has " + x.length + " inputs and " + y.length
          + " targets, " + net + " takes " + net.inputWidth() + " and " + k);
    }
    int index = weight.index(net);
    RowBackprop pass = new RowBackprop(net);
    double[] grad = new double[net.size()];
    double loss = pass.lossAndGradient(w, x, y, grad);
    double[][] a = new double[net.depth() + 1][];
    for (int m = 0; m <= net.depth(); m++) {
      a[m] = pass.activations(m);
    }
    List<Explanation> terms = new ArrayList<>();
    double sum = 0.0;
    for (int o = 1; o <= k; o++) {
      Weight own = weight;
      if (weight.layer() == net.depth()) {
        own = weight.to() == o ? new Weight(weight.layer(), weight.from(), 1) : null;
      }
      Explanation e = own == null ? null : explain(restrictedToOutput(net, o),
          restrictedWeights(net, w, o), x, y[o - 1], own);
      terms.add(e);
      sum += e == null ? 0.0 : e.product();
    }
    return new Sum(net, weight, w.clone(), w[index], x.clone(), y.clone(),
        java.util.Collections.unmodifiableList(terms), a, loss, sum, grad[index]);
  }

  /** The network with only output o (1-based) of its output layer: the same layers, width 1. */
  public static Network restrictedToOutput(Network net, int o) {
    if (o < 1 || o > net.outputWidth()) {
      throw new IllegalArgumentException("output " + o + " of " + net + " does not exist");
    }
    List<LayerSpec> layers = new ArrayList<>(net.layers());
    LayerSpec top = layers.get(layers.size() - 1);
    layers.set(layers.size() - 1, new LayerSpec(top.in(), 1, top.activation()));
    return new Network(layers);
  }

  /** Flat weights of {@link #restrictedToOutput}: all below the output layer, and o's column. */
  public static double[] restrictedWeights(Network net, double[] w, int o) {
    Network r = restrictedToOutput(net, o);
    double[] out = new double[r.size()];
    int below = net.offset(net.depth());
    System.arraycopy(w, 0, out, 0, below);
    for (int from = 0; from <= net.layer(net.depth()).in(); from++) {
      out[r.index(r.depth(), from, 1)] = w[net.index(net.depth(), from, o)];
    }
    return out;
  }

  /**
   * The textbook's name of unit j (1-based) of layer l: inputs X1.., hidden units H11, H12, H21..
   * (H{layer}{unit}; H{layer}_{unit} when a hidden width or the layer count reaches 10), the
   * output ETA (ETA1, ETA2.. when there are several).
   */
  public static String unitName(Network net, int l, int j) {
    if (l == 0) {
      return "X" + j;
    }
    if (l == net.depth()) {
      return net.outputWidth() == 1 ? "ETA" : "ETA" + j;
    }
    return layerName(net, l) + separator(net) + j;
  }

  /** The name of hidden layer l's vector of units, e.g. H2 (ETA for the output layer). */
  public static String layerName(Network net, int l) {
    return l == net.depth() ? "ETA" : "H" + l;
  }

  private static String separator(Network net) {
    boolean compact = net.depth() - 1 <= 9;
    for (int l = 1; l < net.depth(); l++) {
      compact &= net.layer(l).out() <= 9;
    }
    return compact ? "" : "_";
  }
}
