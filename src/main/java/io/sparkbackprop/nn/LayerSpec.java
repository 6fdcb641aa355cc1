package io.sparkbackprop.nn;

import java.io.Serializable;
import java.util.Objects;

/**
 * One fully connected layer: {@code out} units, each computing f(b + sum of w * input) over
 * {@code in} inputs.
 */
public record LayerSpec(int in, int out, Activation activation) implements Serializable {
  public LayerSpec {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("layer widths must be at least 1, got " + in + " -> " + out);
    }
    Objects.requireNonNull(activation, "activation");
  }

  /** Number of weights including biases: (in + 1) * out. */
  public int weightCount() {
    return (in + 1) * out;
  }
}
