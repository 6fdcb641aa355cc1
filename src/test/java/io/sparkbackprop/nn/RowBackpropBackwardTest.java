package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RowBackprop's read accessors and its backward pass from a given output gradient: the same
 * arithmetic as {@code lossAndGradient}, bit for bit, and the stored values obey
 * delta[l] = dL/da[l] * f'(a[l]).
 */
class RowBackpropBackwardTest {
  private static final int[][] SHAPES = {{2, 2, 2, 1}, {3, 4, 1}, {2, 5, 3, 2}};

  static Stream<Arguments> cases() {
    return Fixtures.shapesByActivations(SHAPES, 300);
  }

  @ParameterizedTest(name = "{0} hidden={1} output={2} seed={3}")
  @MethodSource("cases")
  void backwardFromTheLossGradientIsLossAndGradient(int[] widths, Activation hidden,
      Activation output, long seed) {
    Network net = Network.of(widths, hidden, output);
    Random rnd = new Random(seed);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    double[] x = Fixtures.gaussian(rnd, 1, net.inputWidth());
    double[] y = Fixtures.gaussian(rnd, 1, net.outputWidth());
    // A different row first, so that stale values would show if anything accumulated.
    double[] other = Fixtures.gaussian(rnd, 1, net.inputWidth());

    RowBackprop reference = new RowBackprop(net);
    double[] expected = new double[net.size()];
    reference.lossAndGradient(w, x, y, expected);

    RowBackprop rb = new RowBackprop(net);
    rb.lossAndGradient(w, other, y, new double[net.size()]);
    double[] yhat = rb.forward(w, x).clone();
    double[] dOut = new double[yhat.length];
    for (int k = 0; k < yhat.length; k++) {
      dOut[k] = SquaredError.derivative(y[k], yhat[k]);
    }
    double[] grad = new double[net.size()];
    rb.backward(w, dOut, grad);

    for (int i = 0; i < net.size(); i++) {
      assertBits(expected[i], grad[i], net + ": dL/d" + net.name(i) + " from backward(dL/dyhat)");
    }
    assertArrayBits(x, rb.activations(0), net + ": activations(0) is the input row");
    assertArrayBits(yhat, rb.activations(net.depth()), net + ": activations(depth) is yhat");
    assertArrayBits(dOut, rb.activationGradients(net.depth()),
        net + ": activationGradients(depth) is the output gradient");
    for (int l = 1; l <= net.depth(); l++) {
      assertArrayBits(reference.deltas(l), rb.deltas(l), net + ": deltas(" + l + ")");
      assertArrayBits(reference.activationGradients(l), rb.activationGradients(l),
          net + ": activationGradients(" + l + ")");
      double[] act = rb.activations(l);
      double[] dA = rb.activationGradients(l);
      double[] delta = rb.deltas(l);
      for (int j = 0; j < act.length; j++) {
        assertBits(dA[j] * net.layer(l).activation().derivativeFromOutput(act[j]), delta[j],
            net + ": delta[" + l + "][" + (j + 1) + "] = dL/da * f'(a)");
      }
    }
  }

  @ParameterizedTest(name = "{0} hidden={1} output={2} seed={3}")
  @MethodSource("cases")
  void accessorsReturnCopiesAndCheckTheLayer(int[] widths, Activation hidden, Activation output,
      long seed) {
    Network net = Network.of(widths, hidden, output);
    Random rnd = new Random(seed);
    double[] w = Fixtures.scaledGaussianWeights(net, rnd);
    RowBackprop rb = new RowBackprop(net);
    rb.lossAndGradient(w, Fixtures.gaussian(rnd, 1, net.inputWidth()),
        Fixtures.gaussian(rnd, 1, net.outputWidth()), new double[net.size()]);
    double[] before = rb.deltas(1);
    rb.deltas(1)[0] = Double.NaN;
    rb.activations(1)[0] = Double.NaN;
    rb.activationGradients(1)[0] = Double.NaN;
    assertArrayBits(before, rb.deltas(1), net + ": deltas(1) after writing into a returned copy");
    assertEquals(false, Double.isNaN(rb.activations(1)[0]), net + ": activations(1) is a copy");
    assertEquals(false, Double.isNaN(rb.activationGradients(1)[0]),
        net + ": activationGradients(1) is a copy");
    assertThrows(IndexOutOfBoundsException.class, () -> rb.deltas(0), "deltas(0): no such layer");
    assertThrows(IndexOutOfBoundsException.class, () -> rb.activations(net.depth() + 1),
        "activations(depth + 1)");
    assertThrows(IllegalArgumentException.class,
        () -> rb.backward(w, new double[net.outputWidth() + 1], new double[net.size()]),
        "backward with a dOut of the wrong length");
  }

  private static void assertBits(double expected, double actual, String what) {
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
        () -> what + ": expected " + expected + ", got " + actual);
  }

  private static void assertArrayBits(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertBits(expected[i], actual[i], what + " [" + i + "]");
    }
  }
}
