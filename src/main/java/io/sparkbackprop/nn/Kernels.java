package io.sparkbackprop.nn;

import java.util.Locale;

/**
 * Chooses the {@link Kernel} for a network: {@link NarrowBackprop} when every layer after the
 * input is at most {@link #NARROW_MAX_WIDTH} units wide, else {@link BlockBackprop}.
 *
 * <p>The threshold is measured ({@code jobs/bench-kernel --kernel narrow|blocked}, docs/benchmarks.md):
 * the narrow kernel's time grows with the product of adjacent widths at a fixed rate per weight,
 * while BLAS products get more efficient as their narrow side grows; at widths of 8 the narrow
 * kernel is still ahead, at 16 the blocked one.
 *
 * <p>The system property {@code sparkbackprop.kernel=auto|blocked|narrow} (default {@code auto})
 * overrides the choice, for benchmarks and tests; {@code narrow} is honoured for any width. The
 * two kernels agree to about 1e-15 relative, not bit for bit, so the JVMs of one training run must
 * make the same choice: with {@code auto} they do (it depends on the network only); a property set
 * on the driver must also be given to the executors.
 */
public final class Kernels {
  /** Widest layer (after the input) for which {@code auto} chooses the narrow kernel. */
  public static final int NARROW_MAX_WIDTH = 8;
  /** The system property that overrides the choice. */
  public static final String PROPERTY = "sparkbackprop.kernel";

  /** What to build. */
  public enum Choice {
    /** Narrow when every layer after the input is at most {@link #NARROW_MAX_WIDTH} wide. */
    AUTO,
    /** Always {@link BlockBackprop}. */
    BLOCKED,
    /** Always {@link NarrowBackprop}. */
    NARROW;

    /** Parses {@code auto}, {@code blocked} or {@code narrow} (any case). */
    public static Choice parse(String s) {
      String v = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
      for (Choice c : values()) {
        if (c.name().equals(v)) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown kernel '" + s + "' (known: auto, blocked, narrow)");
    }
  }

  private Kernels() {}

  /** The choice the system property {@value #PROPERTY} asks for; {@code AUTO} when unset. */
  public static Choice configured() {
    return Choice.parse(System.getProperty(PROPERTY, "auto"));
  }

  /** The kernel for {@code net} as {@link #configured()} says, scratch for initialRows rows. */
  public static Kernel forNetwork(Network net, int initialRows) {
    return forNetwork(net, initialRows, configured());
  }

  /** The kernel for {@code net} as {@code choice} says, scratch for initialRows rows. */
  public static Kernel forNetwork(Network net, int initialRows, Choice choice) {
    boolean narrow = switch (choice) {
      case AUTO -> isNarrow(net);
      case BLOCKED -> false;
      case NARROW -> true;
    };
    return narrow ? new NarrowBackprop(net, initialRows) : new BlockBackprop(net, initialRows);
  }

  /** Whether every layer after the input is at most {@link #NARROW_MAX_WIDTH} units wide. */
  public static boolean isNarrow(Network net) {
    for (int l = 1; l <= net.depth(); l++) {
      if (net.layer(l).out() > NARROW_MAX_WIDTH) {
        return false;
      }
    }
    return true;
  }
}
