package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkbackprop.nn.blas.Blas;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The dgemm speed of the BLAS in use: {@code threads} threads at once, each multiplying its own
 * n x n matrices (C = A B, 2 n^3 FLOP per call) for {@code seconds}. Two figures, each the median
 * of three measurements: the sum of the threads' GFLOP per wall second, and GFLOP per CPU second
 * of the threads (which other processes on a shared machine disturb much less).
 */
final class DgemmPeak {
  /** GFLOP/s summed over the threads, and GFLOP per thread-CPU-second. */
  record Speed(double perWallSecond, double perCpuSecond) {}

  private DgemmPeak() {}

  static Speed measure(int threads, int n, double seconds) throws InterruptedException {
    double[] wall = new double[3];
    double[] cpu = new double[3];
    for (int r = 0; r < wall.length; r++) {
      double[] o = once(threads, n, seconds / wall.length);
      wall[r] = o[0];
      cpu[r] = o[1];
    }
    return new Speed(Timing.median(wall), Timing.median(cpu));
  }

  private static double[] once(int threads, int n, double seconds) throws InterruptedException {
    BLAS blas = Blas.get();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] rate = new double[threads];
    double[] flop = new double[threads];
    double[] cpuSeconds = new double[threads];
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
        long cpu0 = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        long now;
        do {
          blas.dgemm("N", "N", n, n, n, 1.0, a, n, b, n, 0.0, c, n);
          calls++;
        } while ((now = System.nanoTime()) < end);
        cpuSeconds[id] = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        flop[id] = 2.0 * n * n * (double) n * calls;
        rate[id] = flop[id] / ((now - start) / 1e9) / 1e9;
      });
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    double sum = 0;
    double f = 0;
    double c = 0;
    for (int t = 0; t < threads; t++) {
      sum += rate[t];
      f += flop[t];
      c += cpuSeconds[t];
    }
    return new double[] {sum, f / c / 1e9};
  }
}
