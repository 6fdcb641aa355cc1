package io.sparkbackprop.spark;

import io.sparkbackprop.nn.FloatBlockBackprop;
import io.sparkbackprop.nn.Kernel;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.optim.Adam;
import io.sparkbackprop.optim.Clipping;
import io.sparkbackprop.optim.GradientDescent;
import io.sparkbackprop.optim.L2;
import io.sparkbackprop.optim.LearningRate;
import io.sparkbackprop.optim.Momentum;
import io.sparkbackprop.optim.Rounds;
import io.sparkbackprop.optim.UpdateRule;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Rounds of local mini-batch steps on the cached blocks ({@link Rounds}): each partition is one
 * share. Round t:
 * <ol>
 *   <li>the driver broadcasts (w, the inner rule's state, its step count);</li>
 *   <li>the task of partition p (n_p rows) makes a new inner rule from that state and takes k_p
 *       mini-batch steps over its rows: k_p = ceil(n_p / batchSize) (one local epoch) or
 *       {@code localSteps}. The rows are visited in a shuffled order, a permutation of the
 *       partition's rows drawn from (seed, t, p) alone (another, from (seed, t, p, e), for each
 *       further epoch e when localSteps asks for more); a mini-batch is the next batchSize rows of
 *       that order (the last of an epoch may be smaller), gathered into one block and run through
 *       the blocked kernel (forward + backward; the float kernel on float blocks). Its step:
 *       g = (1/m) sum of the m rows' gradients + 2 regParam W (weights only, {@link L2}), clipped
 *       to clipNorm, then the inner rule's {@code w -= ...} as step steps + k;</li>
 *   <li>the task returns n_p (w_p - w), n_p times each state array, the loss sum over the
 *       mini-batch rows (each at the weights before its step), the mini-batch rows, n_p k_p,
 *       n_p and n_p again; the ordered tree sums them in partition order
 *       ({@link DistributedObjective#sum});</li>
 *   <li>the driver divides by n = sum n_p once.</li>
 * </ol>
 * With row weights (weightCol) the same rule with every count replaced by a weight sum: a
 * mini-batch's gradient is the weighted mean {@code sum_i v_i dL_i/dw / sum_i v_i} over its rows
 * (v_i the row weights), and a partition's share is V_p, the sum of its rows' weights, instead of
 * n_p: the task returns V_p (w_p - w), V_p times each state array, the weighted loss sum over the
 * mini-batch rows and their weight sum, V_p k_p, n_p and V_p, and the driver divides by
 * V = sum V_p once. Without weights every v_i is 1, V_p = n_p, and the bits are those of the
 * unweighted rule.
 * The result depends on the seed, the partitioning and the rows in each partition, never on where
 * or in which order tasks run. In float mode the weights, the inner rule's state and the step stay
 * double in the task; each mini-batch's forward and backward run in float on the float block's
 * rows with the weights rounded to float.
 */
public final class LocalRounds implements Rounds {
  private final JavaSparkContext sc;
  private final JavaRDD<Block> blocks;
  private final Network net;
  private final DistributedObjective tree;
  private final Settings settings;

  /**
   * How each task steps.
   *
   * @param inner the inner update rule
   * @param batchSize rows per mini-batch (>= 1)
   * @param localSteps steps per task and round (0: one local epoch)
   * @param l2 L2 penalty alpha on the weights (not the biases)
   * @param clipNorm clip each mini-batch gradient to this norm (0: no clipping)
   * @param seed the seed of the row orders
   */
  public record Settings(Inner inner, int batchSize, int localSteps, double l2, double clipNorm,
      long seed) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Settings {
      if (batchSize < 1 || localSteps < 0 || !(l2 >= 0) || !(clipNorm >= 0)) {
        throw new IllegalArgumentException("invalid local settings " + this);
      }
    }
  }

  /**
   * The inner rule, as parts that travel to the executors: {@code adam} ({@link Adam}) or
   * {@code sgd} ({@link Momentum} when momentum > 0, else {@link GradientDescent}); the
   * learning-rate schedule counts mini-batch steps.
   */
  public record Inner(String rule, String schedule, double stepSize, double powerT,
      double decayFactor, int decayEvery, double beta1, double beta2, double epsilon,
      double momentum, boolean nesterov) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Inner {
      if (!rule.equals("adam") && !rule.equals("sgd")) {
        throw new IllegalArgumentException("the inner rule is adam or sgd, got " + rule);
      }
      new LearningRate(schedule, stepSize, powerT, decayFactor, decayEvery); // checks them
    }

    /** A new rule (new state). */
    public UpdateRule make() {
      LearningRate lr = new LearningRate(schedule, stepSize, powerT, decayFactor, decayEvery);
      if (rule.equals("adam")) {
        return new Adam(lr, beta1, beta2, epsilon);
      }
      return momentum > 0 ? new Momentum(lr, momentum, nesterov) : new GradientDescent(lr);
    }

    /** How many arrays the rule's state has once it has stepped. */
    int stateArrays() {
      return rule.equals("adam") ? 2 : momentum > 0 ? 1 : 0;
    }
  }

  /**
   * @param blocks the cached training blocks: one share per partition
   * @param treeDepth and combine: the tree that sums the tasks' results (as
   *     {@link DistributedObjective}'s)
   */
  public LocalRounds(JavaSparkContext sc, JavaRDD<Block> blocks, Network net, int treeDepth,
      Combine combine, Settings settings) {
    this.sc = sc;
    this.blocks = blocks;
    this.net = net;
    this.tree = new DistributedObjective(sc, blocks, net, treeDepth, combine);
    this.settings = settings;
  }

  /** Plans the tree's tasks for this many cores (see {@link DistributedObjective}); for tests. */
  LocalRounds withCores(int cores) {
    tree.withCores(cores);
    return this;
  }

  @Override
  public Round run(double[] w, double[][] state, long steps, int t, String description) {
    sc.setJobDescription(description);
    Broadcast<Start> b = sc.broadcast(new Start(w, state, steps));
    try {
      double[] sum = tree.sum(blocks, new Task(net, b, settings, t));
      int size = net.size();
      int k = settings.inner().stateArrays();
      int tail = size * (1 + k);
      long n = Math.round(sum[tail + 3]);
      double weight = sum[tail + 4];
      double[] change = new double[size];
      for (int i = 0; i < size; i++) {
        change[i] = sum[i] / weight;
      }
      double[][] combined = new double[k][size];
      for (int a = 0; a < k; a++) {
        for (int i = 0; i < size; i++) {
          combined[a][i] = sum[size * (1 + a) + i] / weight;
        }
      }
      return new Round(change, combined, Math.round(sum[tail + 2] / weight),
          sum[tail] / sum[tail + 1], n);
    } finally {
      b.destroy();
      sc.setJobDescription(null);
    }
  }

  @Override
  public double stepSize() {
    return settings.inner().stepSize();
  }

  @Override
  public String describe() {
    Inner i = settings.inner();
    return "local " + i.make().describe() + ", batch " + settings.batchSize() + ", "
        + (settings.localSteps() == 0 ? "one local epoch" : settings.localSteps() + " local steps")
        + " per round, " + blocks.getNumPartitions() + " partitions averaged";
  }

  /** What a round broadcasts: the driver's weights, the inner rule's state and its step count. */
  record Start(double[] w, double[][] state, long steps) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The seed of partition p's row order in round t, epoch e (0 for the first). */
  static long orderSeed(long seed, int t, int p, int e) {
    long s = RowSample.streamSeed(seed, t, p);
    return e == 0 ? s : RowHash.mix(s + e);
  }

  /** A permutation of 0..n-1 (Fisher-Yates) from the stream seeded with {@code seed}. */
  static int[] permutation(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    return perm;
  }

  /** Executor side of round t on one partition (see the class comment for what it returns). */
  static final class Task implements DistributedObjective.PartitionFunction {
    private static final long serialVersionUID = 1L;
    private final Network net;
    private final Broadcast<Start> start;
    private final Settings s;
    private final int t;

    Task(Network net, Broadcast<Start> start, Settings s, int t) {
      this.net = net;
      this.start = start;
      this.s = s;
      this.t = t;
    }

    @Override public double[] apply(int p, Iterator<Block> it) {
      return run(net, start.value(), s, t, p, it);
    }
  }

  /** One task's round on partition p's blocks, from {@code from}. */
  static double[] run(Network net, Start from, Settings s, int t, int p, Iterator<Block> it) {
    int size = net.size();
    int k = s.inner().stateArrays();
    int tail = size * (1 + k);
    double[] out = new double[tail + 5];
    Rows rows = new Rows(it);
    int n = rows.n;
    if (n == 0) {
      return out;
    }
    UpdateRule rule = s.inner().make();
    if (from.state().length > 0) {
      rule.restore(from.state());
    }
    double[] w = from.w().clone();
    double[] g = new double[size];
    int batch = Math.min(s.batchSize(), n);
    int steps = s.localSteps() > 0 ? s.localSteps() : (n + batch - 1) / batch;
    int[] order = permutation(n, orderSeed(s.seed(), t, p, 0));
    int epoch = 0;
    int pos = 0;
    double loss = 0;
    double seen = 0;
    for (int step = 1; step <= steps; step++) {
      if (pos == n) {
        order = permutation(n, orderSeed(s.seed(), t, p, ++epoch));
        pos = 0;
      }
      int m = Math.min(batch, n - pos);
      loss += rows.lossAndGradient(net, w, order, pos, m, g);
      pos += m;
      double batchWeight = rows.batchWeight;
      seen += batchWeight;
      for (int i = 0; i < size; i++) {
        g[i] /= batchWeight;
      }
      L2.apply(net, s.l2(), w, g);
      Clipping.clip(g, s.clipNorm());
      rule.step(w, g, (int) (from.steps() + step));
    }
    double[] w0 = from.w();
    double share = rows.weight;
    for (int i = 0; i < size; i++) {
      out[i] = share * (w[i] - w0[i]);
    }
    double[][] state = rule.state();
    for (int a = 0; a < state.length; a++) {
      for (int i = 0; i < size; i++) {
        out[size * (1 + a) + i] = share * state[a][i];
      }
    }
    out[tail] = loss;
    out[tail + 1] = seen;
    out[tail + 2] = share * steps;
    out[tail + 3] = n;
    out[tail + 4] = share;
    return out;
  }

  /**
   * A partition's rows, numbered 0..n-1 in block order, and the mini-batch of some of them: the
   * rows gathered into one column-major block of the blocks' precision, run through the kernel.
   */
  static final class Rows {
    private final List<Block> blocks = new ArrayList<>();
    /** starts[b]: the number of the first row of block b; starts[blocks] = n. */
    private final int[] starts;
    final int n;
    /** The sum of the rows' weights (n without weights). */
    final double weight;
    /** The weight sum of the last mini-batch (its row count without weights). */
    double batchWeight;
    private final boolean weighted;
    private double[] rw;
    private final int d;
    /** Outputs per row. */
    private final int k;
    private final boolean floats;
    private Kernel kernel;
    private FloatBlockBackprop floatKernel;
    private double[] xd;
    private double[] yd;
    private float[] xf;
    private float[] yf;
    private float[] wf;
    private float[] gf;

    Rows(Iterator<Block> it) {
      it.forEachRemaining(blocks::add);
      starts = new int[blocks.size() + 1];
      for (int b = 0; b < blocks.size(); b++) {
        starts[b + 1] = starts[b] + blocks.get(b).n();
      }
      n = starts[blocks.size()];
      weighted = !blocks.isEmpty() && blocks.get(0).weights() != null;
      double sum = 0.0;
      for (Block b : blocks) {
        sum += GradientSum.weightSum(b);
      }
      weight = sum;
      d = blocks.isEmpty() ? 0 : blocks.get(0).features();
      k = blocks.isEmpty() ? 1 : blocks.get(0).outputs();
      floats = !blocks.isEmpty() && blocks.get(0) instanceof Block.Floats;
    }

    /**
     * Loss sum of rows order[pos..pos+m), and their gradient sum written to {@code g}.
     *
     * @param w weights (not modified)
     * @param g Modified: overwritten with the sum of the m rows' gradients
     */
    double lossAndGradient(Network net, double[] w, int[] order, int pos, int m, double[] g) {
      Arrays.fill(g, 0.0);
      gatherWeights(order, pos, m);
      if (floats) {
        if (floatKernel == null) {
          floatKernel = new FloatBlockBackprop(net, m);
          xf = new float[m * d];
          yf = new float[m * k];
          wf = new float[w.length];
          gf = new float[w.length];
        }
        for (int r = 0; r < m; r++) {
          int row = order[pos + r];
          int b = block(row);
          Block.Floats f = (Block.Floats) blocks.get(b);
          int i = row - starts[b];
          for (int j = 0; j < d; j++) {
            xf[j * m + r] = f.x()[j * f.n() + i];
          }
          for (int c = 0; c < k; c++) {
            yf[c * m + r] = f.y()[c * f.n() + i];
          }
        }
        for (int i = 0; i < w.length; i++) {
          wf[i] = (float) w[i];
        }
        Arrays.fill(gf, 0.0f);
        double loss = floatKernel.lossAndGradient(wf, xf, yf, rw, m, gf);
        FloatBlockBackprop.addInto(g, gf);
        return loss;
      }
      if (kernel == null) {
        kernel = Kernels.forNetwork(net, m);
        xd = new double[m * d];
        yd = new double[m * k];
      }
      for (int r = 0; r < m; r++) {
        int row = order[pos + r];
        int b = block(row);
        Block.Doubles x = (Block.Doubles) blocks.get(b);
        int i = row - starts[b];
        for (int j = 0; j < d; j++) {
          xd[j * m + r] = x.x()[j * x.n() + i];
        }
        for (int c = 0; c < k; c++) {
          yd[c * m + r] = x.y()[c * x.n() + i];
        }
      }
      return kernel.lossAndGradient(w, xd, yd, rw, m, g);
    }

    /**
     * The weights of rows order[pos..pos+m) into {@code rw} (null without weights) and their sum,
     * in batch order, into {@link #batchWeight} (m without weights).
     */
    private void gatherWeights(int[] order, int pos, int m) {
      if (!weighted) {
        rw = null;
        batchWeight = m;
        return;
      }
      rw = new double[m];
      double sum = 0.0;
      for (int r = 0; r < m; r++) {
        int row = order[pos + r];
        int b = block(row);
        rw[r] = blocks.get(b).weights()[row - starts[b]];
        sum += rw[r];
      }
      batchWeight = sum;
    }

    /** The block holding row number {@code row}. */
    private int block(int row) {
      int b = Arrays.binarySearch(starts, row);
      if (b >= 0) {
        while (b + 1 < starts.length && starts[b + 1] == row) {
          b++;
        }
        return b;
      }
      return -b - 2;
    }
  }
}
