package io.sparkbackprop.spark;

import io.sparkbackprop.nn.FloatBlockBackprop;
import io.sparkbackprop.nn.Kernel;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.Network;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Executor side: the sums of one partition. The result is one array of length size + 3:
 * {@code [0, size)} the gradient SUM over the partition's rows, {@code [size]} the loss SUM,
 * {@code [size + 1]} the row count and {@code [size + 2]} the weight sum. With row weights
 * (weightCol) the loss and gradient sums are {@code sum_i w_i L_i} and {@code sum_i w_i dL_i/dw};
 * without, every w_i is 1 and the weight sum is the row count. Nothing here divides: the driver
 * divides once by the weight sum.
 */
final class GradientSum {
  private GradientSum() {}

  static int length(Network net) {
    return net.size() + 3;
  }

  /**
   * Runs backprop over every block of a partition, accumulating in place into one double buffer.
   * A float block's gradient is computed into a zeroed float buffer of its own and then added into
   * the double sum, so that float rounding stays per block and never accumulates across blocks.
   *
   * @param w the broadcast weights, in the precision of the blocks (not modified)
   */
  static double[] ofPartition(Network net, Weights w, Iterator<Block> blocks) {
    int size = net.size();
    double[] acc = new double[size + 3];
    Scratch k = Scratch.of(net);
    float[] wf = null;
    double[] wd = null;
    double loss = 0.0;
    long rows = 0;
    double weight = 0.0;
    while (blocks.hasNext()) {
      Block b = blocks.next();
      if (b instanceof Block.Floats f) {
        if (k.floatKernel == null) {
          k.floatKernel = new FloatBlockBackprop(net, f.n());
          k.blockGradient = new float[size];
        }
        Arrays.fill(k.blockGradient, 0.0f);
        if (wf == null) {
          wf = w.asFloats();
        }
        loss += k.floatKernel.lossAndGradient(wf, f.x(), f.y(), f.weights(), f.n(),
            k.blockGradient);
        FloatBlockBackprop.addInto(acc, k.blockGradient);
      } else {
        Block.Doubles d = (Block.Doubles) b;
        if (k.kernel == null) {
          k.kernel = Kernels.forNetwork(net, d.n());
        }
        if (wd == null) {
          wd = w.asDoubles();
        }
        loss += k.kernel.lossAndGradient(wd, d.x(), d.y(), d.weights(), d.n(), acc);
      }
      rows += b.n();
      weight += weightSum(b);
    }
    acc[size] = loss;
    acc[size + 1] = rows;
    acc[size + 2] = weight;
    return acc;
  }

  /**
   * The kernels of one executor thread, kept across partitions and iterations for the network it
   * last trained: their scratch is allocated once per thread, not once per partition (with 256
   * partitions of 10-2-2-1, allocating it per partition took a quarter of the tasks' CPU). A kernel
   * overwrites its scratch before reading it, so reuse does not change a bit. A thread keeps the
   * scratch of its last network (at most a few MB for 256-wide layers) until it trains another.
   */
  private static final class Scratch {
    private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);
    private Network net;
    private Kernels.Choice choice;
    private Kernel kernel;
    private FloatBlockBackprop floatKernel;
    private float[] blockGradient;

    static Scratch of(Network net) {
      Scratch s = OF_THREAD.get();
      Kernels.Choice choice = Kernels.configured();
      if (!net.equals(s.net) || choice != s.choice) {
        s.net = net;
        s.choice = choice;
        s.kernel = null;
        s.floatKernel = null;
        s.blockGradient = null;
      }
      return s;
    }
  }

  /** The sum of a block's row weights, in row order (its row count without weights). */
  static double weightSum(Block b) {
    double[] w = b.weights();
    if (w == null) {
      return b.n();
    }
    double sum = 0.0;
    for (double v : w) {
      sum += v;
    }
    return sum;
  }

  /** a += b, element-wise; returns a. */
  static double[] addInto(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }
}
