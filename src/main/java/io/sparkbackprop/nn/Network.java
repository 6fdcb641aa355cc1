package io.sparkbackprop.nn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The shape of a feed-forward network, and the layout of its weights in one flat {@code double[]}.
 *
 * <h2>Weight layout (stated once, used everywhere)</h2>
 * Layers are numbered l = 1..L. Layer l has {@code in} inputs and {@code out} units. Its weights
 * are the textbook's {@code W[l][from][to]} with from = 0 the bias and from = 1..in an input, and
 * to = 1..out a unit. They occupy one contiguous slice of the flat array, starting at
 * {@link #offset(int) offset(l)}, as an (in + 1) x out matrix stored column-major:
 * <pre>
 *   flat[offset(l) + (to - 1) * (in + 1) + from] == W[l][from][to]
 * </pre>
 * So each unit's bias is followed by its input weights, and the sub-matrix without the bias row
 * (start {@code offset(l) + 1}, leading dimension {@code in + 1}) is the in x out matrix M_l that
 * BLAS multiplies as {@code Z = A_prev * M_l}. The textbook's numpy array {@code W[from, layer, to]}
 * is the same numbers with the layer index moved first.
 */
public final class Network implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LayerSpec[] layers;
  private final int[] offsets;
  private final int size;

  public Network(List<LayerSpec> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    this.layers = layers.toArray(new LayerSpec[0]);
    this.offsets = new int[this.layers.length + 1];
    for (int i = 0; i < this.layers.length; i++) {
      if (i > 0 && this.layers[i].in() != this.layers[i - 1].out()) {
        throw new IllegalArgumentException("layer " + (i + 1) + " has " + this.layers[i].in()
            + " inputs but layer " + i + " has " + this.layers[i - 1].out() + " units");
      }
      long next = (long) offsets[i] + this.layers[i].weightCount();
      if (next > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("network too large for one array: " + next + " weights");
      }
      offsets[i + 1] = (int) next;
    }
    this.size = offsets[this.layers.length];
  }

  /**
   * A network from its widths (input first, as MLlib's {@code layers}) and one activation per
   * layer ({@code widths.length - 1} of them).
   */
  public static Network of(int[] widths, Activation[] activations) {
    if (widths.length < 2) {
      throw new IllegalArgumentException("need at least an input and an output width, got "
          + Arrays.toString(widths));
    }
    if (activations.length != widths.length - 1) {
      throw new IllegalArgumentException("need " + (widths.length - 1) + " activations for layers "
          + Arrays.toString(widths) + ", got " + activations.length);
    }
    List<LayerSpec> specs = new ArrayList<>();
    for (int i = 0; i + 1 < widths.length; i++) {
      specs.add(new LayerSpec(widths[i], widths[i + 1], activations[i]));
    }
    return new Network(specs);
  }

  /** Hidden layers share {@code hidden}; the last layer uses {@code output}. */
  public static Network of(int[] widths, Activation hidden, Activation output) {
    Activation[] acts = new Activation[widths.length - 1];
    Arrays.fill(acts, hidden);
    if (acts.length > 0) {
      acts[acts.length - 1] = output;
    }
    return of(widths, acts);
  }

  /** Number of layers L (hidden plus output; the input is not a layer). */
  public int depth() {
    return layers.length;
  }

  /** Layer l, 1-based. */
  public LayerSpec layer(int l) {
    return layers[l - 1];
  }

  public List<LayerSpec> layers() {
    return List.of(layers);
  }

  public int inputWidth() {
    return layers[0].in();
  }

  public int outputWidth() {
    return layers[layers.length - 1].out();
  }

  /** Widths from input to output, e.g. {@code [2, 2, 2, 1]}. */
  public int[] widths() {
    int[] w = new int[layers.length + 1];
    w[0] = layers[0].in();
    for (int i = 0; i < layers.length; i++) {
      w[i + 1] = layers[i].out();
    }
    return w;
  }

  public int maxWidth() {
    int m = 0;
    for (int w : widths()) {
      m = Math.max(m, w);
    }
    return m;
  }

  /** Total number of weights, biases included: the length of the flat array. */
  public int size() {
    return size;
  }

  /** Start of layer l's slice (l = 1..L) in the flat array. */
  public int offset(int l) {
    return offsets[l - 1];
  }

  /**
   * Index in the flat array of the textbook's W[l][from][to] (l = 1..L, from = 0 bias or 1..in,
   * to = 1..out).
   */
  public int index(int l, int from, int to) {
    LayerSpec s = layer(l);
    if (from < 0 || from > s.in() || to < 1 || to > s.out()) {
      throw new IndexOutOfBoundsException("W[" + l + "][" + from + "][" + to + "] outside layer "
          + l + " (" + s.in() + " inputs, " + s.out() + " units)");
    }
    return offsets[l - 1] + (to - 1) * (s.in() + 1) + from;
  }

  /** The textbook label of flat index i: "W[l][from][to]". */
  public String name(int i) {
    for (int l = 1; l <= layers.length; l++) {
      if (i < offsets[l]) {
        int local = i - offsets[l - 1];
        int stride = layers[l - 1].in() + 1;
        return "W[" + l + "][" + (local % stride) + "][" + (local / stride + 1) + "]";
      }
    }
    throw new IndexOutOfBoundsException("index " + i + " outside " + size + " weights");
  }

  /**
   * The flat weights as {@code W[l-1][from][to-1]}: a 0-based array per layer, from = 0 the bias
   * row, so {@code result[l-1][from][to-1] == W[l][from][to]}.
   */
  public double[][][] toTextbook(double[] flat) {
    checkLength(flat);
    double[][][] w = new double[layers.length][][];
    for (int l = 1; l <= layers.length; l++) {
      LayerSpec s = layer(l);
      w[l - 1] = new double[s.in() + 1][s.out()];
      for (int to = 1; to <= s.out(); to++) {
        for (int from = 0; from <= s.in(); from++) {
          w[l - 1][from][to - 1] = flat[index(l, from, to)];
        }
      }
    }
    return w;
  }

  /** The inverse of {@link #toTextbook}; checks every shape and names the first mismatch. */
  public double[] fromTextbook(double[][][] w) {
    if (w.length != layers.length) {
      throw new IllegalArgumentException("weights have " + w.length + " layers, network has "
          + layers.length);
    }
    double[] flat = new double[size];
    for (int l = 1; l <= layers.length; l++) {
      LayerSpec s = layer(l);
      if (w[l - 1] == null || w[l - 1].length != s.in() + 1) {
        throw new IllegalArgumentException("weights of layer " + l + " have "
            + (w[l - 1] == null ? 0 : w[l - 1].length) + " rows (bias + inputs), expected "
            + (s.in() + 1));
      }
      for (int from = 0; from <= s.in(); from++) {
        if (w[l - 1][from] == null || w[l - 1][from].length != s.out()) {
          throw new IllegalArgumentException("weights of layer " + l + ", row " + from + " have "
              + (w[l - 1][from] == null ? 0 : w[l - 1][from].length) + " entries, expected "
              + s.out());
        }
        for (int to = 1; to <= s.out(); to++) {
          flat[index(l, from, to)] = w[l - 1][from][to - 1];
        }
      }
    }
    return flat;
  }

  /**
   * Seeded initial weights, biases zero. Glorot/Xavier uniform, U(-r, r) with
   * r = sqrt(6 / (in + out)) (Glorot and Bengio, 2010), for identity, sigmoid and tanh layers;
   * He normal, N(0, 2 / in) (He et al., 2015), for ReLU layers. {@link Random} is fully specified
   * by the JDK, so a seed gives the same weights on every JVM.
   */
  public double[] initialWeights(long seed) {
    Random rnd = new Random(seed);
    double[] w = new double[size];
    for (int l = 1; l <= layers.length; l++) {
      LayerSpec s = layer(l);
      double r = Math.sqrt(6.0 / (s.in() + s.out()));
      double sd = Math.sqrt(2.0 / s.in());
      for (int to = 1; to <= s.out(); to++) {
        for (int from = 1; from <= s.in(); from++) {
          w[index(l, from, to)] = s.activation() == Activation.RELU
              ? sd * rnd.nextGaussian()
              : r * (2.0 * rnd.nextDouble() - 1.0);
        }
      }
    }
    return w;
  }

  /** Every weight and bias from a seeded standard normal, as the textbook's np.random.normal. */
  public double[] standardNormalWeights(long seed) {
    Random rnd = new Random(seed);
    double[] w = new double[size];
    for (int i = 0; i < size; i++) {
      w[i] = rnd.nextGaussian();
    }
    return w;
  }

  public void checkLength(double[] flat) {
    if (flat.length != size) {
      throw new IllegalArgumentException("expected " + size + " weights for layers "
          + Arrays.toString(widths()) + ", got " + flat.length);
    }
  }

  /** The widths joined by {@code separator}, e.g. "10-2-2-1" or "10,2,2,1". */
  public static String joinWidths(int[] widths, String separator) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      sb.append(i == 0 ? "" : separator).append(widths[i]);
    }
    return sb.toString();
  }

  /** e.g. "2-2-2-1 sigmoid,sigmoid,sigmoid". */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(joinWidths(widths(), "-"));
    sb.append(' ');
    for (int i = 0; i < layers.length; i++) {
      sb.append(i == 0 ? "" : ",").append(layers[i].activation().label());
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Network n && Arrays.equals(layers, n.layers);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(layers);
  }
}
