package io.sparkbackprop.nn;

/**
 * The readable reference: forward and backward for ONE row with scalar loops, written as the chain
 * rule. Slow and obviously right; the blocked BLAS kernel ({@link BlockBackprop}) is tested equal to
 * it. Conventions are those of {@link SquaredError}; weights are laid out as in {@link Network}.
 */
public final class RowBackprop {
  private final Network net;
  /** a[l][j]: output of unit j (0-based) of layer l; a[0] is the input row. */
  private final double[][] a;
  /** delta[l][j] = dL/dz for unit j of layer l, where z is its pre-activation. */
  private final double[][] delta;
  /**
   * dA[l][j] = dL/da for unit j of layer l (l &gt;= 1): the sum over the layer above that delta[l]
   * multiplies by f'; for the output layer, the gradient the backward pass started from.
   */
  private final double[][] dA;

  public RowBackprop(Network net) {
    this.net = net;
    int[] w = net.widths();
    this.a = new double[w.length][];
    this.delta = new double[w.length][];
    this.dA = new double[w.length][];
    for (int l = 0; l < w.length; l++) {
      a[l] = new double[w[l]];
      delta[l] = new double[w[l]];
      dA[l] = new double[w[l]];
    }
  }

  /**
   * Forward pass: a_l[to] = f_l(W[l][0][to] + sum_from W[l][from][to] * a_{l-1}[from]).
   *
   * @param w flat weights (not modified)
   * @param x one input row, {@code inputWidth} values (not modified)
   * @return the output layer's activations (an internal buffer: copy it to keep it)
   */
  public double[] forward(double[] w, double[] x) {
    System.arraycopy(x, 0, a[0], 0, net.inputWidth());
    for (int l = 1; l <= net.depth(); l++) {
      LayerSpec s = net.layer(l);
      for (int to = 1; to <= s.out(); to++) {
        double z = w[net.index(l, 0, to)];
        for (int from = 1; from <= s.in(); from++) {
          z += w[net.index(l, from, to)] * a[l - 1][from - 1];
        }
        a[l][to - 1] = s.activation().apply(z);
      }
    }
    return a[net.depth()];
  }

  /**
   * Loss of one row and its gradient, ADDED into {@code grad}.
   *
   * <pre>
   *   output layer L:  delta_L[k] = dL/dyhat_k * f_L'(a_L[k])        with dL/dyhat = -2 (y - yhat)
   *   hidden layer l:  delta_l[j] = (sum_k W[l+1][j][k] * delta_{l+1}[k]) * f_l'(a_l[j])
   *   every weight:    dL/dW[l][from][to] = a_{l-1}[from] * delta_l[to]   (a_{l-1}[0] = 1, the bias)
   * </pre>
   *
   * @param w flat weights (not modified)
   * @param x input row (not modified)
   * @param y target values, one per output unit (not modified)
   * @param grad gradient accumulator (Modified: += dL/dw)
   * @return L = sum over outputs of (y - yhat)^2
   */
  public double lossAndGradient(double[] w, double[] x, double[] y, double[] grad) {
    double[] yhat = forward(w, x);
    int depth = net.depth();
    double loss = 0.0;
    for (int k = 0; k < yhat.length; k++) {
      loss += SquaredError.loss(y[k], yhat[k]);
      dA[depth][k] = SquaredError.derivative(y[k], yhat[k]);
    }
    backwardFromOutput(w, grad);
    return loss;
  }

  /**
   * The backward pass alone, after {@link #forward}, from any gradient at the output: with
   * {@code dOut = dL/dyhat} it is the second half of {@link #lossAndGradient}; with
   * {@code dOut = 1} (one output) it gives the derivatives of the output itself, dyhat/dz, dyhat/da
   * and dyhat/dW, which {@code ChainRule} uses for the textbook's dETA/dH factors when dL/dyhat = 0.
   *
   * @param w flat weights, the same as the forward pass's (not modified)
   * @param dOut the gradient at the output, one value per output unit (not modified)
   * @param grad gradient accumulator (Modified: += the gradient with respect to every weight)
   */
  public void backward(double[] w, double[] dOut, double[] grad) {
    int depth = net.depth();
    if (dOut.length != net.outputWidth()) {
      throw new IllegalArgumentException("dOut has " + dOut.length + " values, the network "
          + net.outputWidth() + " outputs");
    }
    System.arraycopy(dOut, 0, dA[depth], 0, dOut.length);
    backwardFromOutput(w, grad);
  }

  /** Backward from dA[depth] (dL/dyhat), over the activations of the last forward pass. */
  private void backwardFromOutput(double[] w, double[] grad) {
    int depth = net.depth();
    Activation top = net.layer(depth).activation();
    for (int k = 0; k < dA[depth].length; k++) {
      delta[depth][k] = dA[depth][k] * top.derivativeFromOutput(a[depth][k]);
    }
    for (int l = depth; l >= 1; l--) {
      LayerSpec s = net.layer(l);
      for (int to = 1; to <= s.out(); to++) {
        double d = delta[l][to - 1];
        grad[net.index(l, 0, to)] += d;
        for (int from = 1; from <= s.in(); from++) {
          grad[net.index(l, from, to)] += a[l - 1][from - 1] * d;
        }
      }
      if (l > 1) {
        Activation below = net.layer(l - 1).activation();
        for (int from = 1; from <= s.in(); from++) {
          double sum = 0.0;
          for (int to = 1; to <= s.out(); to++) {
            sum += w[net.index(l, from, to)] * delta[l][to - 1];
          }
          dA[l - 1][from - 1] = sum;
          delta[l - 1][from - 1] = sum * below.derivativeFromOutput(a[l - 1][from - 1]);
        }
      }
    }
  }

  /**
   * a[l], the outputs of layer l's units after the last {@link #forward} (l = 0: the input row,
   * l = depth: the output), as a copy.
   */
  public double[] activations(int l) {
    checkLayer(l, 0);
    return a[l].clone();
  }

  /** delta[l] = dL/dz of layer l's units (l = 1..depth) after the last backward pass, as a copy. */
  public double[] deltas(int l) {
    checkLayer(l, 1);
    return delta[l].clone();
  }

  /**
   * dL/da of layer l's units (l = 1..depth) after the last backward pass, as a copy: for l below
   * the output, sum_k W[l+1][j][k] * delta[l+1][k], the factor that delta[l] multiplies by f';
   * for l = depth, the output gradient the pass started from.
   */
  public double[] activationGradients(int l) {
    checkLayer(l, 1);
    return dA[l].clone();
  }

  private void checkLayer(int l, int min) {
    if (l < min || l > net.depth()) {
      throw new IndexOutOfBoundsException("layer " + l + " outside " + min + ".." + net.depth());
    }
  }
}
