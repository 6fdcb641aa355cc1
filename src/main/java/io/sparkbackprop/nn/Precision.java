package io.sparkbackprop.nn;

import java.util.Locale;

/**
 * The element type of cached training blocks and of the training kernel. {@code DOUBLE}: blocks
 * of doubles, dgemm ({@link BlockBackprop}). {@code FLOAT}: blocks of floats (half the memory),
 * sgemm ({@link FloatBlockBackprop}), each block's gradient added into a double sum; the weights,
 * their update, the combination of partition sums and the saved model stay double either way.
 */
public enum Precision {
  DOUBLE,
  FLOAT;

  /** The Param's and the option's spelling: {@code double} or {@code float}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The precision spelled {@code s} ({@code double} or {@code float}, any case). */
  public static Precision of(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
