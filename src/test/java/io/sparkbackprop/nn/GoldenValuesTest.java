package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A 2-1-1 network (sigmoid hidden unit, identity output) whose forward values, loss and every
 * dL/dW are computed by hand, asserted against RowBackprop and BlockBackprop.
 *
 * <pre>
 * Weights:  W[1][0][1] = ln 3 (bias), W[1][1][1] = 0.75, W[1][2][1] = 0.5,
 *           W[2][0][1] = 2.5  (bias), W[2][1][1] = -2.
 *
 * Row 1: x = (2, -3), y = 0.
 *   z1 = ln 3 + 0.75*2 + 0.5*(-3) = ln 3;   a1 = 1 / (1 + e^-ln3) = 1 / (1 + 1/3) = 3/4
 *   yhat = 2.5 + (-2)(3/4) = 1;   L = (y - yhat)^2 = (0 - 1)^2 = 1
 *   dL/dyhat = -2 (y - yhat) = 2;   delta2 = 2 * 1 (identity) = 2
 *   dL/dW[2][0][1] = 1 * delta2 = 2          dL/dW[2][1][1] = a1 * delta2 = 3/4 * 2 = 1.5
 *   delta1 = W[2][1][1] * delta2 * a1 (1 - a1) = (-2)(2)(3/16) = -0.75
 *   dL/dW[1][0][1] = -0.75   dL/dW[1][1][1] = 2 * (-0.75) = -1.5   dL/dW[1][2][1] = -3 * (-0.75) = 2.25
 *
 * Row 2: x = (-2, 3), y = 4.
 *   z1 = ln 3 - 1.5 + 1.5 = ln 3;  a1 = 3/4;  yhat = 1;  L = (4 - 1)^2 = 9
 *   dL/dyhat = -2 (4 - 1) = -6 = delta2
 *   dL/dW[2][0][1] = -6       dL/dW[2][1][1] = 3/4 * (-6) = -4.5
 *   delta1 = (-2)(-6)(3/16) = 2.25
 *   dL/dW[1][0][1] = 2.25     dL/dW[1][1][1] = -2 * 2.25 = -4.5      dL/dW[1][2][1] = 3 * 2.25 = 6.75
 *
 * Both rows: L = 10; gradient sums W[1][0][1] 1.5, W[1][1][1] -6, W[1][2][1] 9, W[2][0][1] -4,
 * W[2][1][1] -3.
 * </pre>
 * Only ln 3 is inexact (rounding about 1e-16, moving a1 by 3/16 of that), hence 1e-15 relative.
 */
class GoldenValuesTest {
  private static final double TOL = 1e-15;
  private static final Network NET =
      Network.of(new int[] {2, 1, 1}, Activation.SIGMOID, Activation.IDENTITY);

  private static double[] weights() {
    double[] w = new double[NET.size()];
    w[NET.index(1, 0, 1)] = Math.log(3.0);
    w[NET.index(1, 1, 1)] = 0.75;
    w[NET.index(1, 2, 1)] = 0.5;
    w[NET.index(2, 0, 1)] = 2.5;
    w[NET.index(2, 1, 1)] = -2.0;
    return w;
  }

  /** Expected dL/dW in flat order, from the table above. */
  private static double[] gradient(double b1, double w11, double w21, double b2, double w12) {
    double[] g = new double[NET.size()];
    g[NET.index(1, 0, 1)] = b1;
    g[NET.index(1, 1, 1)] = w11;
    g[NET.index(1, 2, 1)] = w21;
    g[NET.index(2, 0, 1)] = b2;
    g[NET.index(2, 1, 1)] = w12;
    return g;
  }

  private static final double[] ROW1_GRAD = gradient(-0.75, -1.5, 2.25, 2.0, 1.5);
  private static final double[] ROW2_GRAD = gradient(2.25, -4.5, 6.75, -6.0, -4.5);
  private static final double[] SUM_GRAD = gradient(1.5, -6.0, 9.0, -4.0, -3.0);

  @Test
  void rowBackpropForwardLossAndGradient() {
    RowBackprop rb = new RowBackprop(NET);
    double[] w = weights();
    double[] yhat = rb.forward(w, new double[] {2, -3});
    assertClose("yhat of row 1", 1.0, yhat[0]);

    double[] g = new double[NET.size()];
    assertClose("L of row 1", 1.0, rb.lossAndGradient(w, new double[] {2, -3}, new double[] {0}, g));
    assertGradient("RowBackprop, row 1", ROW1_GRAD, g);
    assertClose("L of row 2", 9.0, rb.lossAndGradient(w, new double[] {-2, 3}, new double[] {4}, g));
    assertGradient("RowBackprop, rows 1 + 2 accumulated", SUM_GRAD, g);

    double[] g2 = new double[NET.size()];
    rb.lossAndGradient(w, new double[] {-2, 3}, new double[] {4}, g2);
    assertGradient("RowBackprop, row 2", ROW2_GRAD, g2);
  }

  @Test
  void blockBackpropForwardLossAndGradient() {
    double[] w = weights();
    BlockBackprop bb = new BlockBackprop(NET, 1);
    double[] g = new double[NET.size()];
    assertClose("L of row 1", 1.0, bb.lossAndGradient(w, new double[] {2, -3}, new double[] {0}, 1, g));
    assertGradient("BlockBackprop, block of row 1", ROW1_GRAD, g);

    // Two rows as one 2 x 2 column-major block: X1 = (2, -2), X2 = (-3, 3); y = (0, 4).
    double[] x = {2, -2, -3, 3};
    double[] y = {0, 4};
    double[] out = {Double.NaN, Double.NaN};
    bb.predict(w, x, 2, out);
    assertClose("yhat of row 1", 1.0, out[0]);
    assertClose("yhat of row 2", 1.0, out[1]);
    double[] g2 = new double[NET.size()];
    assertClose("L of rows 1 + 2", 10.0, bb.lossAndGradient(w, x, y, 2, g2));
    assertGradient("BlockBackprop, block of rows 1 and 2", SUM_GRAD, g2);
  }

  /** The conventions of SquaredError: L = (y - yhat)^2, dL/dyhat = -2 (y - yhat). */
  @Test
  void squaredErrorConventions() {
    assertEquals(9.0, SquaredError.loss(4.0, 1.0), 0.0, "loss(y=4, yhat=1)");
    assertEquals(9.0, SquaredError.loss(1.0, 4.0), 0.0, "loss(y=1, yhat=4)");
    assertEquals(-6.0, SquaredError.derivative(4.0, 1.0), 0.0,
        "dL/dyhat at y=4, yhat=1 (prediction too low: the gradient is negative)");
    assertEquals(6.0, SquaredError.derivative(1.0, 4.0), 0.0, "dL/dyhat at y=1, yhat=4");
  }

  private static void assertClose(String what, double expected, double actual) {
    double rel = Fixtures.relErr(expected, actual, 1e-300);
    assertTrue(rel <= TOL, () -> what + ": expected " + expected + ", got " + actual
        + " (relative error " + rel + ")");
  }

  private static void assertGradient(String what, double[] expected, double[] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertClose(what + ": dL/d" + NET.name(i), expected[i], actual[i]);
    }
  }
}
