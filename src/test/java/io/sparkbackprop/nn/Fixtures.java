package io.sparkbackprop.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Seeded data, weights and block slicing shared by the nn tests. Prints nothing. */
final class Fixtures {
  private Fixtures() {}

  /**
   * Test cases (widths, hidden activation, output activation, seed): every shape with every pair
   * of activations, seeds counting up from {@code firstSeed}.
   */
  static Stream<Arguments> shapesByActivations(int[][] shapes, long firstSeed) {
    List<Arguments> out = new ArrayList<>();
    long seed = firstSeed;
    for (int[] shape : shapes) {
      for (Activation hidden : Activation.values()) {
        for (Activation output : Activation.values()) {
          out.add(Arguments.of(shape, hidden, output, seed++));
        }
      }
    }
    return out.stream();
  }

  /** n x d values from N(0, 1), column-major (as the kernels take them). */
  static double[] gaussian(Random rnd, int n, int d) {
    double[] v = new double[n * d];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextGaussian();
    }
    return v;
  }

  /**
   * Weights N(0, 1 / (in + 1)) for every weight and bias of a layer: pre-activations stay O(1)
   * whatever the width, and biases are non-zero so ReLU kinks are not all at the origin.
   */
  static double[] scaledGaussianWeights(Network net, Random rnd) {
    double[] w = new double[net.size()];
    for (int l = 1; l <= net.depth(); l++) {
      LayerSpec s = net.layer(l);
      double sd = 1.0 / Math.sqrt(s.in() + 1.0);
      for (int to = 1; to <= s.out(); to++) {
        for (int from = 0; from <= s.in(); from++) {
          w[net.index(l, from, to)] = sd * rnd.nextGaussian();
        }
      }
    }
    return w;
  }

  /** Rows [start, start + len) of an n x d column-major matrix, as a len x d column-major matrix. */
  static double[] rows(double[] m, int n, int d, int start, int len) {
    double[] out = new double[len * d];
    for (int j = 0; j < d; j++) {
      System.arraycopy(m, j * n + start, out, j * len, len);
    }
    return out;
  }

  /** Row r of an n x d column-major matrix. */
  static double[] row(double[] m, int n, int d, int r) {
    return rows(m, n, d, r, 1);
  }

  /**
   * Runs all n rows through ONE kernel instance in blocks of {@code block} rows (the last block
   * short when block does not divide n), accumulating into {@code grad}. Returns the loss sum.
   */
  static double blockedLossAndGradient(Kernel bb, double[] w, double[] x, double[] y, int n,
      int block, double[] grad) {
    Network net = bb.network();
    double loss = 0.0;
    for (int start = 0; start < n; start += block) {
      int len = Math.min(block, n - start);
      loss += bb.lossAndGradient(w, rows(x, n, net.inputWidth(), start, len),
          rows(y, n, net.outputWidth(), start, len), len, grad);
    }
    return loss;
  }

  /** Sum over rows of RowBackprop's per-row gradient, accumulated into {@code grad}. */
  static double rowLossAndGradient(Network net, double[] w, double[] x, double[] y, int n,
      double[] grad) {
    RowBackprop rb = new RowBackprop(net);
    double loss = 0.0;
    for (int r = 0; r < n; r++) {
      loss += rb.lossAndGradient(w, row(x, n, net.inputWidth(), r), row(y, n, net.outputWidth(), r),
          grad);
    }
    return loss;
  }

  /** The kernels every kernel test runs: each implementation, whatever the network's width. */
  static final Kernels.Choice[] KERNELS = {Kernels.Choice.BLOCKED, Kernels.Choice.NARROW};

  /** |a - b| / max(|a|, |b|, floor): written here, independently of GradientCheck's. */
  static double relErr(double a, double b, double floor) {
    return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), floor);
  }
}
