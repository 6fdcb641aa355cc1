package io.sparkbackprop.nn;

/**
 * The sums over rows of {@link NarrowBackprop}'s backward pass: dot products of columns of a
 * strip ({@code sum_i a[i] d[i]}, i in [0, s), every array read from index 0), up to four sharing
 * one {@code d}, so that {@code d} is read once for four weights.
 *
 * <p>Why not plain loops, as in the rest of that kernel: C2 in JDK 17 does not vectorize a
 * floating-point reduction (it may not reorder the sum), while it does vectorize the axpy-like
 * loops of the forward pass (docs/benchmarks.md, "Kernel"). So there are two implementations, chosen like {@link ElementWise}'s and by the same
 * switch (the Vector API when {@code ElementWise.get()} is the vector one): plain loops with one
 * partial sum per dot product, and {@code VectorRowDots}, one vector of partial sums per dot
 * product (lanes added at the end), no masks (the tail of a strip is a scalar loop), so that JDK 17
 * keeps the vectors in registers (it boxes them in large methods with masks).
 */
abstract class RowDots {
  private static final RowDots INSTANCE = choose();

  static RowDots get() {
    return INSTANCE;
  }

  static RowDots scalar() {
    return Scalar.INSTANCE;
  }

  /** sum_i a[i] b[i]. */
  double dot(double[] a, double[] b, int s) {
    double p = 0.0;
    for (int i = 0; i < s; i++) {
      p += a[i] * b[i];
    }
    return p;
  }

  /** sum_i d[i]. */
  double sum(double[] d, int s) {
    double p = 0.0;
    for (int i = 0; i < s; i++) {
      p += d[i];
    }
    return p;
  }

  /** g[at + q] += sum_i a_q[i] d[i] for q = 0..3. g: Modified. */
  void dots4(double[] a0, double[] a1, double[] a2, double[] a3, double[] d, int s, double[] g,
      int at) {
    double p0 = 0.0;
    double p1 = 0.0;
    double p2 = 0.0;
    double p3 = 0.0;
    for (int i = 0; i < s; i++) {
      double di = d[i];
      p0 += a0[i] * di;
      p1 += a1[i] * di;
      p2 += a2[i] * di;
      p3 += a3[i] * di;
    }
    g[at] += p0;
    g[at + 1] += p1;
    g[at + 2] += p2;
    g[at + 3] += p3;
  }

  /** g[at + q] += sum_i a_q[i] d[i] for q = 0, 1. g: Modified. */
  void dots2(double[] a0, double[] a1, double[] d, int s, double[] g, int at) {
    double p0 = 0.0;
    double p1 = 0.0;
    for (int i = 0; i < s; i++) {
      double di = d[i];
      p0 += a0[i] * di;
      p1 += a1[i] * di;
    }
    g[at] += p0;
    g[at + 1] += p1;
  }

  private static final class Scalar extends RowDots {
    static final Scalar INSTANCE = new Scalar();
  }

  private static RowDots choose() {
    if (ElementWise.get().name().equals("vector")) {
      try {
        return (RowDots) Class.forName("io.sparkbackprop.nn.VectorRowDots")
            .getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        // Fall through to the plain loops.
      }
    }
    return Scalar.INSTANCE;
  }
}
