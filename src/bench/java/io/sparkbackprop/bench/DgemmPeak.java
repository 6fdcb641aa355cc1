package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkbackprop.nn.Blas;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The dgemm speed of the BLAS in use: {@code threads} threads at once, each multiplying its own
 * n x n matrices (C = A B, 2 n^3 FLOP per call) for {@code seconds}; returns the sum of the threads' GFLOP/s,
 * the median of three such measurements.
 */
final class DgemmPeak {
  private DgemmPeak() {}

  static double gflops(int threads, int n, double seconds) throws InterruptedException {
    double[] runs = new double[3];
    for (int r = 0; r < runs.length; r++) {
      runs[r] = once(threads, n, seconds / runs.length);
    }
    java.util.Arrays.sort(runs);
    return runs[1];
  }

  private static double once(int threads, int n, double seconds) throws InterruptedException {
    BLAS blas = Blas.get();
    double[] rate = new double[threads];
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Random rnd = new Random(t);
      double[] a = new double[n * n];
      double[] b = new double[n * n];
      double[] c = new double[n * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = rnd.nextDouble();
        b[i] = rnd.nextDouble();
      }
      Thread th = new Thread(() -> {
        blas.dgemm("N", "N", n, n, n, 1.0, a, n, b, n, 0.0, c, n); // warm-up, not counted
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        long now;
        do {
          blas.dgemm("N", "N", n, n, n, 1.0, a, n, b, n, 0.0, c, n);
          calls++;
        } while ((now = System.nanoTime()) < end);
        rate[id] = 2.0 * n * n * (double) n * calls / ((now - start) / 1e9) / 1e9;
      });
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    double sum = 0;
    for (double r : rate) {
      sum += r;
    }
    return sum;
  }
}
