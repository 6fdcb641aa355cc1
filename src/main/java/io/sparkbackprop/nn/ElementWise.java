package io.sparkbackprop.nn;

import java.util.Locale;

/**
 * The element-wise passes of the block kernels over whole arrays, double and float: applying a layer's
 * activation, and multiplying a delta by the activation's derivative.
 *
 * <p>Two implementations. {@code scalar} is plain Java loops over {@link Activation}, always
 * available. {@code vector} computes the sigmoid on SIMD lanes with the JDK's Vector API
 * ({@code jdk.incubator.vector}) and an exp of its own made of exactly rounded lane operations
 * (the same bits whether the JIT has compiled it or not; tanh stays {@code Math.tanh}), and ReLU
 * and its derivative without a branch per element; it is chosen when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, as every {@code jobs/} script and the tests do. Its
 * results are within an ulp or two of {@code Math}'s, not always equal bit for bit, so the JVMs of
 * one training run must make the same choice: {@code jobs/submit} gives the executors the driver's
 * JVM options. The system property {@code sparkbackprop.elementwise=scalar|vector} overrides the
 * choice.
 */
public abstract class ElementWise {
  private static final ElementWise INSTANCE = choose();

  /** The implementation in use in this JVM. */
  public static ElementWise get() {
    return INSTANCE;
  }

  /** The plain-Java implementation. */
  public static ElementWise scalar() {
    return Scalar.INSTANCE;
  }

  /** {@code scalar} or {@code vector}. */
  public abstract String name();

  /** z[i] = f(z[i]) for i in [0, len). */
  public void activate(Activation f, double[] z, int len) {
    switch (f) {
      case IDENTITY -> { }
      case RELU -> {
        for (int i = 0; i < len; i++) {
          z[i] = z[i] > 0 ? z[i] : 0.0;
        }
      }
      default -> {
        for (int i = 0; i < len; i++) {
          z[i] = f.apply(z[i]);
        }
      }
    }
  }

  /** d[i] *= f'(z_i), given a[i] = f(z_i), for i in [0, len). One loop per activation. */
  public void multiplyByDerivative(Activation f, double[] a, double[] d, int len) {
    switch (f) {
      case IDENTITY -> { }
      case SIGMOID -> {
        for (int i = 0; i < len; i++) {
          d[i] *= a[i] * (1.0 - a[i]);
        }
      }
      case TANH -> {
        for (int i = 0; i < len; i++) {
          d[i] *= 1.0 - a[i] * a[i];
        }
      }
      case RELU -> {
        for (int i = 0; i < len; i++) {
          d[i] *= a[i] > 0 ? 1.0 : 0.0;
        }
      }
    }
  }

  /**
   * z[i] = f(z[i]) for i in [0, len), in single precision: sigmoid and tanh are computed in double
   * and rounded once.
   */
  public void activate(Activation f, float[] z, int len) {
    switch (f) {
      case IDENTITY -> { }
      case RELU -> {
        for (int i = 0; i < len; i++) {
          z[i] = z[i] > 0 ? z[i] : 0.0f;
        }
      }
      default -> {
        for (int i = 0; i < len; i++) {
          z[i] = (float) f.apply(z[i]);
        }
      }
    }
  }

  /** d[i] *= f'(z_i), given a[i] = f(z_i), for i in [0, len), in single precision. */
  public void multiplyByDerivative(Activation f, float[] a, float[] d, int len) {
    switch (f) {
      case IDENTITY -> { }
      case SIGMOID -> {
        for (int i = 0; i < len; i++) {
          d[i] *= a[i] * (1.0f - a[i]);
        }
      }
      case TANH -> {
        for (int i = 0; i < len; i++) {
          d[i] *= 1.0f - a[i] * a[i];
        }
      }
      case RELU -> {
        for (int i = 0; i < len; i++) {
          d[i] *= a[i] > 0 ? 1.0f : 0.0f;
        }
      }
    }
  }

  private static final class Scalar extends ElementWise {
    static final Scalar INSTANCE = new Scalar();

    @Override public String name() {
      return "scalar";
    }
  }

  private static ElementWise choose() {
    String wanted = System.getProperty("sparkbackprop.elementwise", "auto").trim()
        .toLowerCase(Locale.ROOT);
    if (wanted.equals("scalar")) {
      return Scalar.INSTANCE;
    }
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (present) {
      try {
        return (ElementWise) Class.forName("io.sparkbackprop.nn.VectorElementWise")
            .getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        // Fall through to the plain loops.
      }
    }
    return Scalar.INSTANCE;
  }
}
