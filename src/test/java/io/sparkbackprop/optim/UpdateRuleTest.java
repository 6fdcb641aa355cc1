package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.BlockBackprop;
import io.sparkbackprop.nn.Network;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UpdateRuleTest {
  private static final double[] G1 = {0.5, -1.0};
  private static final double[] G2 = {0.25, 2.0};

  private static double[] twoSteps(UpdateRule r) {
    double[] w = {1.0, -2.0};
    r.step(w, G1, 1);
    r.step(w, G2, 2);
    return w;
  }

  @Test
  void gradientDescentStepsAgainstTheGradient() {
    // w = (1, -2) - 0.1 (0.5, -1) - 0.1 (0.25, 2) = (0.925, -2.1)
    assertArrayEquals(new double[] {0.925, -2.1}, twoSteps(new GradientDescent(0.1)), 1e-15);
  }

  @Test
  void momentumTwoStepsByHand() {
    // lr 0.1, mu 0.9. Step 1: v = -0.1 g1 = (-0.05, 0.1); w = (0.95, -1.9).
    // Step 2: v = 0.9 (-0.05, 0.1) - 0.1 (0.25, 2) = (-0.07, -0.11); w = (0.88, -2.01).
    assertArrayEquals(new double[] {0.88, -2.01},
        twoSteps(new Momentum(LearningRate.constant(0.1), 0.9, false)), 1e-15);
  }

  @Test
  void nesterovTwoStepsByHand() {
    // Step 1: v = (-0.05, 0.1); w += 0.9 v - 0.1 g1 = (-0.045 - 0.05, 0.09 + 0.1) -> (0.905, -1.81).
    // Step 2: v = (-0.07, -0.11); w += 0.9 v - 0.1 g2 = (-0.063 - 0.025, -0.099 - 0.2)
    //         -> (0.817, -2.109).
    assertArrayEquals(new double[] {0.817, -2.109},
        twoSteps(new Momentum(LearningRate.constant(0.1), 0.9, true)), 1e-15);
  }

  @Test
  void adamTwoStepsByHand() {
    // lr 0.1, b1 0.9, b2 0.999, eps 1e-8.
    // Step 1: m = 0.1 g1, v = 0.001 g1^2; mhat = g1, vhat = g1^2: w -= 0.1 g1/(|g1| + eps)
    //   = 0.1 sign(g1) (to 1e-8 relative): w = (0.9, -1.9).
    // Step 2: m = 0.9*0.1*g1 + 0.1*g2 = (0.045 + 0.025, -0.09 + 0.2) = (0.07, 0.11);
    //   v = 0.999*0.001*g1^2 + 0.001*g2^2 = (0.00024975 + 0.0000625, 0.000999 + 0.004)
    //     = (0.00031225, 0.004999);
    //   mhat = m / (1 - 0.81) = m / 0.19; vhat = v / (1 - 0.998001) = v / 0.001999.
    double[] m = {0.07, 0.11};
    double[] v = {0.00031225, 0.004999};
    double[] expected = {0.9, -1.9};
    for (int i = 0; i < 2; i++) {
      double step1 = 0.1 * G1[i] / (Math.abs(G1[i]) + 1e-8);
      expected[i] = new double[] {1.0, -2.0}[i] - step1
          - 0.1 * (m[i] / 0.19) / (Math.sqrt(v[i] / 0.001999) + 1e-8);
    }
    double[] got = twoSteps(new Adam(LearningRate.constant(0.1), 0.9, 0.999, 1e-8));
    assertArrayEquals(expected, got, 1e-13);
    // And the hand figures themselves: about (0.9 - 0.1*0.3684/0.3952, -1.9 - 0.1*0.5789/1.5814).
    assertEquals(0.9 - 0.1 * (0.07 / 0.19) / Math.sqrt(0.00031225 / 0.001999), got[0], 1e-7);
  }

  @Test
  void learningRateSchedules() {
    assertEquals(0.5, LearningRate.constant(0.5).at(100), 0);
    assertEquals(0.5 / Math.pow(4, 0.5), LearningRate.inverseScaling(0.5, 0.5).at(4), 1e-16);
    LearningRate step = LearningRate.stepDecay(1.0, 0.5, 10);
    assertEquals(1.0, step.at(1), 0);
    assertEquals(1.0, step.at(10), 0);
    assertEquals(0.5, step.at(11), 0);
    assertEquals(0.25, step.at(21), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LearningRate("cosine", 0.1, 0, 1, 1));
    assertTrue(e.getMessage().contains("unknown learning-rate schedule 'cosine'"), e.getMessage());
  }

  @Test
  void stoppingRuleByToleranceAndByCount() {
    StoppingRule s = new StoppingRule(100, 1e-3);
    assertTrue(!s.shouldStop(1, 10.0));
    assertTrue(!s.shouldStop(2, 9.0));
    assertTrue(s.shouldStop(3, 8.9999));
    assertTrue(s.reason().startsWith("converged"), s.reason());
    StoppingRule c = new StoppingRule(2, 0);
    assertTrue(!c.shouldStop(1, 1.0));
    assertTrue(c.shouldStop(2, 1.0));
    assertTrue(c.reason().contains("maximum of 2"), c.reason());
  }

  /** L-BFGS on least squares (one identity layer) reaches the normal-equations solution. */
  @Test
  void lbfgsReachesTheLeastSquaresOptimum() {
    int n = 60;
    int d = 3;
    Random r = new Random(4);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double t = 0.3;
      for (int j = 0; j < d; j++) {
        x[j * n + i] = r.nextGaussian();
        t += (j + 1) * x[j * n + i];
      }
      y[i] = t + 0.5 * r.nextGaussian();
    }
    Network net = Network.of(new int[] {d, 1}, new Activation[] {Activation.IDENTITY});
    BlockBackprop k = new BlockBackprop(net, n);
    Objective f = (w, t, description) -> {
      double[] g = new double[w.length];
      double loss = k.lossAndGradient(w, x, y, n, g);
      for (int i = 0; i < g.length; i++) {
        g[i] /= n;
      }
      return new Objective.Value(loss / n, g, n);
    };
    TrainingLoop.Result res = TrainingLoop.train(f, net, new double[net.size()],
        new Solver.Lbfgs(7, 1e-12), TrainingLoop.Settings.iterations(200), null, null, null,
        null, "");

    // Normal equations with an intercept column: (A^T A) beta = A^T y, A = [1 x].
    double[][] ata = new double[d + 1][d + 2];
    for (int i = 0; i < n; i++) {
      double[] a = new double[d + 1];
      a[0] = 1;
      for (int j = 0; j < d; j++) {
        a[j + 1] = x[j * n + i];
      }
      for (int p = 0; p <= d; p++) {
        for (int q = 0; q <= d; q++) {
          ata[p][q] += a[p] * a[q];
        }
        ata[p][d + 1] += a[p] * y[i];
      }
    }
    double[] beta = solve(ata);
    // Flat layout of one layer: (bias, w1, w2, w3) = (W[1][0][1], W[1][1][1], ...), as beta.
    assertArrayEquals(beta, res.weights(), 1e-6, "L-BFGS vs normal equations; reason " + res.stopReason());
  }

  /** Gaussian elimination with partial pivoting on an augmented matrix. */
  private static double[] solve(double[][] m) {
    int k = m.length;
    for (int c = 0; c < k; c++) {
      int p = c;
      for (int i = c + 1; i < k; i++) {
        if (Math.abs(m[i][c]) > Math.abs(m[p][c])) {
          p = i;
        }
      }
      double[] t = m[c];
      m[c] = m[p];
      m[p] = t;
      for (int i = c + 1; i < k; i++) {
        double f = m[i][c] / m[c][c];
        for (int j = c; j <= k; j++) {
          m[i][j] -= f * m[c][j];
        }
      }
    }
    double[] b = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      double s = m[i][k];
      for (int j = i + 1; j < k; j++) {
        s -= m[i][j] * b[j];
      }
      b[i] = s / m[i][i];
    }
    return b;
  }
}
