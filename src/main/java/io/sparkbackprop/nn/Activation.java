package io.sparkbackprop.nn;

import java.util.Locale;

/**
 * A layer's activation function f, applied element-wise to the pre-activation z.
 *
 * <p>The derivative is computed from the activation's OUTPUT a = f(z), never from z: backprop
 * keeps the outputs of every layer, and for all four functions f'(z) is a simple function of a.
 * <ul>
 *   <li>{@code IDENTITY}: a = z, f' = 1.</li>
 *   <li>{@code SIGMOID}: a = 1 / (1 + e^-z) (the textbook's g), f' = a (1 - a).</li>
 *   <li>{@code TANH}: a = tanh z, f' = 1 - a^2.</li>
 *   <li>{@code RELU}: a = max(0, z), f' = 1 if a &gt; 0 else 0 (the subgradient 0 at the kink).</li>
 * </ul>
 */
public enum Activation {
  IDENTITY {
    @Override public double apply(double z) { return z; }
    @Override public double derivativeFromOutput(double a) { return 1.0; }
  },
  SIGMOID {
    @Override public double apply(double z) {
      // Both branches are exact; the split only avoids overflow of e^-z for very negative z.
      if (z >= 0) {
        return 1.0 / (1.0 + Math.exp(-z));
      }
      double e = Math.exp(z);
      return e / (1.0 + e);
    }
    @Override public double derivativeFromOutput(double a) { return a * (1.0 - a); }
  },
  TANH {
    @Override public double apply(double z) { return Math.tanh(z); }
    @Override public double derivativeFromOutput(double a) { return 1.0 - a * a; }
  },
  RELU {
    @Override public double apply(double z) { return z > 0 ? z : 0.0; }
    @Override public double derivativeFromOutput(double a) { return a > 0 ? 1.0 : 0.0; }
  };

  /** f(z). */
  public abstract double apply(double z);

  /** f'(z), given a = f(z) (the output, not the input). */
  public abstract double derivativeFromOutput(double a);

  /** The lower-case name used in files and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a name such as {@code sigmoid} (any case; {@code linear} is accepted for identity).
   *
   * @throws IllegalArgumentException naming the value and the known activations
   */
  public static Activation parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("linear")) {
      return IDENTITY;
    }
    for (Activation a : values()) {
      if (a.label().equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + name + "' (known: identity, sigmoid, tanh, relu)");
  }
}
