package io.sparkbackprop.spark;

/**
 * The project's one hash of a row of values: SplitMix64 (Steele, Lea and Flood, 2014) over the
 * seed and the bits of every value, -0.0 read as 0.0. It decides the content split and
 * fingerprints the training data for checkpoints.
 */
final class RowHash {
  private RowHash() {}

  /** 64 bits from (seed, bits of v[0], bits of v[1], ...); v not modified. */
  public static long of(long seed, double[] v) {
    long h = mix(seed + 0x9E3779B97F4A7C15L);
    for (double x : v) {
      h = mix(h + 0x9E3779B97F4A7C15L + Double.doubleToLongBits(x == 0.0 ? 0.0 : x));
    }
    return h;
  }

  /** A uniform in [0, 1): the top 53 bits of {@link #of}. */
  public static double uniform(long seed, double[] v) {
    return (of(seed, v) >>> 11) * 0x1.0p-53;
  }

  /** SplitMix64's finaliser. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
