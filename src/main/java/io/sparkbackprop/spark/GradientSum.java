package io.sparkbackprop.spark;

import io.sparkbackprop.nn.FloatBlockBackprop;
import io.sparkbackprop.nn.Kernel;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.Network;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Executor side: the sums of one partition. The result is one array of length size + 2:
 * {@code [0, size)} the gradient SUM over the partition's rows, {@code [size]} the loss SUM and
 * {@code [size + 1]} the row count. Nothing here divides by n: the driver does that once.
 */
final class GradientSum {
  private GradientSum() {}

  static int length(Network net) {
    return net.size() + 2;
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
    double[] acc = new double[size + 2];
    Kernel kernel = null;
    FloatBlockBackprop floatKernel = null;
    float[] blockGradient = null;
    double loss = 0.0;
    long rows = 0;
    while (blocks.hasNext()) {
      Block b = blocks.next();
      if (b instanceof Block.Floats f) {
        if (floatKernel == null) {
          floatKernel = new FloatBlockBackprop(net, f.n());
          blockGradient = new float[size];
        }
        Arrays.fill(blockGradient, 0.0f);
        loss += floatKernel.lossAndGradient(w.floats(), f.x(), f.y(), f.n(), blockGradient);
        FloatBlockBackprop.addInto(acc, blockGradient);
      } else {
        Block.Doubles d = (Block.Doubles) b;
        if (kernel == null) {
          kernel = Kernels.forNetwork(net, d.n());
        }
        loss += kernel.lossAndGradient(w.doubles(), d.x(), d.y(), d.n(), acc);
      }
      rows += b.n();
    }
    acc[size] = loss;
    acc[size + 1] = rows;
    return acc;
  }

  /** a += b, element-wise; returns a. */
  static double[] addInto(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }
}
