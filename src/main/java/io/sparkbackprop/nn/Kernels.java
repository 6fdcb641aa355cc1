package io.sparkbackprop.nn;

import io.sparkbackprop.nn.blas.Blas;
import java.util.Locale;

/**
 * Chooses the {@link Kernel} for a network: {@link NarrowBackprop} when every layer after the
 * input is at most {@link #narrowMaxWidth()} units wide, else {@link BlockBackprop}.
 *
 * <p>The threshold depends on the BLAS: against a native BLAS (OpenBLAS through JNI) the narrow
 * kernel is faster only up to width {@link #NARROW_MAX_WIDTH_NATIVE} = 3, against netlib's Java
 * BLAS (VectorBLAS) at every width up to {@link #NARROW_MAX_WIDTH_JAVA} = 8 (wider layers are a
 * BLAS's home ground). The measurements behind both: docs/benchmarks.md, "Kernel".
 *
 * <p>The system property {@code sparkbackprop.kernel=auto|blocked|narrow} (default {@code auto})
 * overrides the choice, for benchmarks and tests; {@code narrow} is honoured for any width. The
 * two kernels agree to about 1e-15 relative, not bit for bit, so the JVMs of one training run must
 * make the same choice: with {@code auto} they do when they load the same BLAS (the same rule as
 * for the BLAS itself); a property set on the driver must also be given to the executors.
 */
public final class Kernels {
  /** Widest layer (after the input) for the narrow kernel when the BLAS is native (JNI). */
  public static final int NARROW_MAX_WIDTH_NATIVE = 3;
  /** Widest layer (after the input) for the narrow kernel when the BLAS is Java code. */
  public static final int NARROW_MAX_WIDTH_JAVA = 8;
  /** The system property that overrides the choice. */
  public static final String PROPERTY = "sparkbackprop.kernel";

  /** What to build. */
  public enum Choice {
    /** Narrow when every layer after the input is at most {@link #narrowMaxWidth()} wide. */
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

  /** Whether every layer after the input is at most {@link #narrowMaxWidth()} units wide. */
  public static boolean isNarrow(Network net) {
    return isNarrow(net, narrowMaxWidth());
  }

  /** Whether every layer after the input is at most {@code maxWidth} units wide. */
  public static boolean isNarrow(Network net, int maxWidth) {
    for (int l = 1; l <= net.depth(); l++) {
      if (net.layer(l).out() > maxWidth) {
        return false;
      }
    }
    return true;
  }

  /** The narrow kernel's widest layer for this JVM's BLAS ({@link Blas#name()}). */
  public static int narrowMaxWidth() {
    return narrowMaxWidth(Blas.name());
  }

  /**
   * {@link #NARROW_MAX_WIDTH_NATIVE} for a native BLAS (netlib's {@code JNIBLAS}), else
   * {@link #NARROW_MAX_WIDTH_JAVA}.
   */
  public static int narrowMaxWidth(String blasName) {
    return blasName.startsWith("JNI") ? NARROW_MAX_WIDTH_NATIVE : NARROW_MAX_WIDTH_JAVA;
  }
}
