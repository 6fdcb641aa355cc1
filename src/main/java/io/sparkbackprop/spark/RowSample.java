package io.sparkbackprop.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The mini-batch of stochastic gradient descent: each row is kept with probability {@code fraction}
 * (a Bernoulli sample), independently per iteration. The stream deciding partition p's rows at
 * iteration t is seeded from (seed, t, p) alone, so a run repeats exactly for the same seed and
 * partitioning, and each iteration draws a different sample.
 */
final class RowSample {
  private RowSample() {}

  /** The seed of partition p's stream at iteration t. */
  public static long streamSeed(long seed, int t, int p) {
    return RowHash.mix(RowHash.mix(RowHash.mix(seed) + t) + p);
  }

  /** The sampled rows of a partition's blocks, as new (smaller) blocks; empty blocks are skipped. */
  public static Iterator<Block> sample(Iterator<Block> blocks, double fraction, long seed, int t,
      int p) {
    SplittableRandom rnd = new SplittableRandom(streamSeed(seed, t, p));
    List<Block> out = new ArrayList<>();
    int[] keep = new int[0];
    while (blocks.hasNext()) {
      Block b = blocks.next();
      int n = b.n();
      if (keep.length < n) {
        keep = new int[n];
      }
      int m = 0;
      for (int i = 0; i < n; i++) {
        if (rnd.nextDouble() < fraction) {
          keep[m++] = i;
        }
      }
      if (m == 0) {
        continue;
      }
      out.add(b.select(keep, m));
    }
    return out.iterator();
  }
}
