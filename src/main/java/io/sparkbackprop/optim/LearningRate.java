package io.sparkbackprop.optim;

import java.util.Locale;

/**
 * A learning-rate schedule: the rate used at iteration t (1-based).
 * <ul>
 *   <li>{@code constant}: lr.</li>
 *   <li>{@code invscaling}: lr / t^power (scikit-learn's "invscaling").</li>
 *   <li>{@code step}: lr * factor^floor((t - 1) / every).</li>
 * </ul>
 */
public record LearningRate(String name, double lr, double power, double factor, int every) {
  public LearningRate {
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
    }
    name = name.toLowerCase(Locale.ROOT);
    switch (name) {
      case "constant" -> { }
      case "invscaling" -> {
        if (!(power >= 0)) {
          throw new IllegalArgumentException("invscaling power must be >= 0, got " + power);
        }
      }
      case "step" -> {
        if (!(factor > 0 && factor <= 1) || every < 1) {
          throw new IllegalArgumentException("step decay needs 0 < factor <= 1 and every >= 1, got "
              + factor + " and " + every);
        }
      }
      default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + name
          + "' (known: constant, invscaling, step)");
    }
  }

  public static LearningRate constant(double lr) {
    return new LearningRate("constant", lr, 0, 1, 1);
  }

  public static LearningRate inverseScaling(double lr, double power) {
    return new LearningRate("invscaling", lr, power, 1, 1);
  }

  public static LearningRate stepDecay(double lr, double factor, int every) {
    return new LearningRate("step", lr, 0, factor, every);
  }

  /** The rate at iteration t = 1, 2, ... */
  public double at(int t) {
    return switch (name) {
      case "invscaling" -> lr / Math.pow(t, power);
      case "step" -> lr * Math.pow(factor, (t - 1) / every);
      default -> lr;
    };
  }

  public String describe() {
    return switch (name) {
      case "invscaling" -> "invscaling(lr=" + lr + ", power=" + power + ")";
      case "step" -> "step(lr=" + lr + ", factor=" + factor + ", every=" + every + ")";
      default -> "constant(lr=" + lr + ")";
    };
  }
}
