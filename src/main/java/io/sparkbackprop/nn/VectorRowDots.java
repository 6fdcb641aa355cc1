package io.sparkbackprop.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowDots} on SIMD lanes: one vector of partial sums per dot product, lanes added once at
 * the end; the last {@code s mod lanes} rows in a scalar loop. Loaded by reflection only when the
 * JVM has the {@code jdk.incubator.vector} module.
 */
final class VectorRowDots extends RowDots {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  @Override double dot(double[] a, double[] b, int s) {
    DoubleVector p = DoubleVector.zero(S);
    DoubleVector q = DoubleVector.zero(S);
    int n = S.length();
    int i = 0;
    for (int bound = s - 2 * n; i <= bound; i += 2 * n) {
      p = DoubleVector.fromArray(S, a, i).fma(DoubleVector.fromArray(S, b, i), p);
      q = DoubleVector.fromArray(S, a, i + n).fma(DoubleVector.fromArray(S, b, i + n), q);
    }
    double r = sumLanes(p.add(q));
    for (; i < s; i++) {
      r += a[i] * b[i];
    }
    return r;
  }

  @Override double sum(double[] d, int s) {
    DoubleVector p = DoubleVector.zero(S);
    DoubleVector q = DoubleVector.zero(S);
    int n = S.length();
    int i = 0;
    for (int bound = s - 2 * n; i <= bound; i += 2 * n) {
      p = p.add(DoubleVector.fromArray(S, d, i));
      q = q.add(DoubleVector.fromArray(S, d, i + n));
    }
    double r = sumLanes(p.add(q));
    for (; i < s; i++) {
      r += d[i];
    }
    return r;
  }

  @Override void dots4(double[] a0, double[] a1, double[] a2, double[] a3, double[] d, int s,
      double[] g, int at) {
    DoubleVector p0 = DoubleVector.zero(S);
    DoubleVector p1 = DoubleVector.zero(S);
    DoubleVector p2 = DoubleVector.zero(S);
    DoubleVector p3 = DoubleVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(s); i < bound; i += S.length()) {
      DoubleVector di = DoubleVector.fromArray(S, d, i);
      p0 = DoubleVector.fromArray(S, a0, i).fma(di, p0);
      p1 = DoubleVector.fromArray(S, a1, i).fma(di, p1);
      p2 = DoubleVector.fromArray(S, a2, i).fma(di, p2);
      p3 = DoubleVector.fromArray(S, a3, i).fma(di, p3);
    }
    double r0 = sumLanes(p0);
    double r1 = sumLanes(p1);
    double r2 = sumLanes(p2);
    double r3 = sumLanes(p3);
    for (; i < s; i++) {
      double di = d[i];
      r0 += a0[i] * di;
      r1 += a1[i] * di;
      r2 += a2[i] * di;
      r3 += a3[i] * di;
    }
    g[at] += r0;
    g[at + 1] += r1;
    g[at + 2] += r2;
    g[at + 3] += r3;
  }

  @Override void dots2(double[] a0, double[] a1, double[] d, int s, double[] g, int at) {
    DoubleVector p0 = DoubleVector.zero(S);
    DoubleVector p1 = DoubleVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(s); i < bound; i += S.length()) {
      DoubleVector di = DoubleVector.fromArray(S, d, i);
      p0 = DoubleVector.fromArray(S, a0, i).fma(di, p0);
      p1 = DoubleVector.fromArray(S, a1, i).fma(di, p1);
    }
    double r0 = sumLanes(p0);
    double r1 = sumLanes(p1);
    for (; i < s; i++) {
      double di = d[i];
      r0 += a0[i] * di;
      r1 += a1[i] * di;
    }
    g[at] += r0;
    g[at + 1] += r1;
  }

  /**
   * The lanes of v added in lane order, as scalars: {@code reduceLanes(ADD)} leaves the order to
   * the implementation (the JIT may add pairwise, the Java fallback in sequence), and a sum whose
   * bits depend on whether the method is compiled breaks bitwise reproducible training.
   */
  private static double sumLanes(DoubleVector v) {
    double r = 0.0;
    for (int k = 0; k < S.length(); k++) {
      r += v.lane(k);
    }
    return r;
  }
}
