package io.sparkbackprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import org.junit.jupiter.api.Test;

class RegularizationTest {
  @Test
  void l2PenalisesWeightsButNotBiases() {
    // 2-1-1: layer 1 = (b, w1, w2), layer 2 = (b, w).
    Network net = Network.of(new int[] {2, 1, 1}, new Activation[] {Activation.TANH,
        Activation.IDENTITY});
    double[] w = {5.0, 1.0, -2.0, 7.0, 3.0};
    double[] g = {0.1, 0.1, 0.1, 0.1, 0.1};
    double penalty = L2.apply(net, 0.5, w, g);
    assertEquals(0.5 * (1 + 4 + 9), penalty, 1e-15);
    assertArrayEquals(new double[] {0.1, 0.1 + 1.0, 0.1 - 2.0, 0.1, 0.1 + 3.0}, g, 1e-15);
    double[] g0 = new double[5];
    assertEquals(0.0, L2.apply(net, 0.0, w, g0));
    assertArrayEquals(new double[5], g0);
  }

  @Test
  void clippingScalesOnlyLargeGradients() {
    double[] g = {3.0, 4.0};
    assertEquals(0.5, Clipping.clip(g, 2.5), 1e-15);
    assertArrayEquals(new double[] {1.5, 2.0}, g, 1e-15);
    double[] h = {0.3, 0.4};
    assertEquals(1.0, Clipping.clip(h, 2.5));
    assertArrayEquals(new double[] {0.3, 0.4}, h);
    assertEquals(1.0, Clipping.clip(g, 0));
  }

  @Test
  void earlyStoppingKeepsTheBestWeights() {
    EarlyStopping es = new EarlyStopping(3, 0.01);
    assertFalse(es.update(1, 1.0, new double[] {1}));
    assertFalse(es.update(2, 0.5, new double[] {2}));
    assertFalse(es.update(3, 0.6, new double[] {3}));
    assertFalse(es.update(4, 0.495, new double[] {4}), "a small improvement moves the best point");
    assertTrue(es.update(5, 0.7, new double[] {5}), "three evaluations without an improvement of at least 0.01");
    assertEquals(4, es.bestIteration());
    assertEquals(0.495, es.best());
    assertArrayEquals(new double[] {4}, es.bestWeights());
  }
}
