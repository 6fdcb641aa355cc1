package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Blas;
import io.sparkbackprop.nn.BlockBackprop;
import io.sparkbackprop.nn.Kernel;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.NarrowBackprop;
import io.sparkbackprop.nn.Network;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code bench-kernel}: speed of forward + backward ({@link Kernel#lossAndGradient}) on one
 * block of rows, with {@link BlockBackprop} (BLAS), {@link NarrowBackprop} (plain loops) or the one
 * {@link Kernels#forNetwork} chooses (each case names the kernel that ran), called from one thread (a native BLAS may run threads of its own), for several
 * layer shapes and block sizes; beside it the same BLAS instance's dgemm on 1024 x 1024 x 1024,
 * as the ceiling this machine and BLAS reach.
 *
 * <p>FLOPs of one row's forward + backward are counted as 6 x weights (2 forward, 4 backward:
 * the weight gradient and the propagated delta), biases included. Activations, the loss and the
 * bias gradient (dgemv) are not counted, so narrow layers, where they weigh most, look slower.
 *
 * <p>Method: first a short run of every shape so the JIT has compiled the kernel's paths; then
 * per case: seeded random data, one {@link Kernel} and one gradient buffer reused
 * by every call (the gradient just keeps accumulating, as it does over a partition); a warm-up of
 * the same calls for at least half the time budget (at least 0.2 s), longer until the JIT is
 * quiet; then {@code --reps} timed repetitions that share the budget, each counting whole calls
 * until its slice of time has passed. The median repetition is reported, with the spread
 * (min..max) in the table.
 *
 * <p>The machine may be shared: besides wall-clock rates, each repetition also measures the
 * process's CPU time, and the table shows the rate per CPU-second, which is far steadier when
 * other processes take the cores (it still suffers from shared caches and from a native BLAS's
 * threads spinning while they wait).
 */
public final class KernelBench {

  /** Keeps the JIT from proving any result unused. */
  private static volatile double sink;
  /** Length of the last {@link #measure} call's warm-up (one thread only). */
  private static double lastWarmupSeconds;

  private KernelBench() {}

  /**
   * One measured rate in calls per second: median and spread over repetitions of wall-clock
   * rates, and the median rate per second of the process's CPU time, all threads (a native BLAS
   * may run its own threads): what one core gives when nobody else competes for it, cache sharing
   * aside. NaN when the JVM cannot measure process CPU time.
   */
  record Rate(double median, double min, double max, double cpuMedian) {
    /** CPU seconds used per wall-clock second: below 1 when others take the cores. */
    double cpuShare() {
      return median / cpuMedian;
    }
  }

  /**
   * What to measure.
   *
   * @param shapes layer widths, input first
   * @param blocks rows per block
   * @param seconds measured time per case
   * @param reps timed repetitions per case (the median is reported)
   * @param dgemmSize size of the reference dgemm, N x N x N (0: none)
   * @param kernels the kernels to time, each on every shape and block
   */
  public record Options(List<int[]> shapes, int[] blocks, double seconds, int reps,
      Activation hidden, Activation output, long seed, int dgemmSize,
      List<Kernels.Choice> kernels) {}

  /** Runs the benchmark, printing a table and one KERNEL line per case. */
  public static int run(Options o, PrintWriter out) {
    List<int[]> shapes = o.shapes();
    int[] blocks = o.blocks();
    double seconds = o.seconds();
    int reps = o.reps();
    long seed = o.seed();
    int dgemmSize = o.dgemmSize();
    Activation hidden = o.hidden();
    Activation output = o.output();

    String blas = Blas.name();
    out.printf(Locale.ROOT, "bench-kernel: BLAS %s (%s); java %s; %d processors; vector module %s; "
        + "element-wise %s%n",
        blas, kind(blas), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "loaded" : "absent",
        io.sparkbackprop.nn.ElementWise.get().name());
    if (blas.startsWith("JNI")) {
      out.println("native BLAS threads: OPENBLAS_NUM_THREADS="
          + System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "(unset)")
          + ", OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
    }
    out.println("load average at start: " + loadAverage()
        + " (other processes share the cores: figures are noisy, compare runs with care)");
    out.printf(Locale.ROOT, "activations: hidden %s, output %s; %.2f s measured per case "
        + "(median of %d), warm-up >= %.2f s (until the JIT is quiet); FLOPs = 6 x weights x rows%n",
        hidden.label(), output.label(), seconds, reps, warmupSeconds(seconds));

    double dgemmGflops = Double.NaN;
    double dgemmCpuGflops = Double.NaN;
    if (dgemmSize > 0) {
      Rate d = dgemm(dgemmSize, seconds, reps, seed);
      double flop = 2.0 * dgemmSize * dgemmSize * dgemmSize;
      dgemmGflops = d.median() * flop / 1e9;
      dgemmCpuGflops = d.cpuMedian() * flop / 1e9;
      out.printf(Locale.ROOT, "dgemm %dx%dx%d: %.2f GFLOP/s (min %.2f, max %.2f); per CPU-second "
          + "%.2f (%.2f CPU-s per s)%n", dgemmSize, dgemmSize, dgemmSize, dgemmGflops,
          d.min() * flop / 1e9, d.max() * flop / 1e9, dgemmCpuGflops, d.cpuShare());
    }
    out.println();

    // JIT warm-up of the kernel's code paths (BLAS loops, activations) before the first case.
    for (int[] widths : shapes) {
      for (Kernels.Choice kc : o.kernels()) {
        kernel(Network.of(widths, hidden, output), kc, 256, 0.05, 1, seed);
      }
    }

    out.println("GFLOP/s: wall clock, median (min..max); cpu-GF/s: per CPU-second of the process"
        + " (all threads); cpus: CPU-seconds per wall second; % dgemm: cpu-GF/s over dgemm's");
    out.printf(Locale.ROOT, "%-14s %-7s %8s %6s %12s %8s %14s %9s %7s %8s%n", "shape", "kernel",
        "weights", "block", "rows/s", "GFLOP/s", "(min..max)", "cpu-GF/s", "cpus", "% dgemm");
    List<String> lines = new ArrayList<>();
    for (int[] widths : shapes) {
      Network net = Network.of(widths, hidden, output);
      String shape = Network.joinWidths(widths, "-");
      for (int n : blocks) {
        for (Kernels.Choice kc : o.kernels()) {
          String kname = kernelName(Kernels.forNetwork(net, 1, kc));
          Rate r = kernel(net, kc, n, seconds, reps, seed);
          double warm = lastWarmupSeconds;
          double rows = r.median() * n;
          double flopPerCall = 6.0 * net.size() * n;
          double gflops = r.median() * flopPerCall / 1e9;
          double cpuGflops = r.cpuMedian() * flopPerCall / 1e9;
          out.printf(Locale.ROOT, "%-14s %-7s %8d %6d %12.0f %8.3f %14s %9.3f %7.2f %8s%n", shape,
              kname, net.size(), n, rows, gflops,
              String.format(Locale.ROOT, "%.2f..%.2f", r.min() * flopPerCall / 1e9,
                  r.max() * flopPerCall / 1e9),
              cpuGflops, r.cpuShare(),
              Double.isNaN(dgemmCpuGflops) ? "-"
                  : String.format(Locale.ROOT, "%.1f%%", 100 * cpuGflops / dgemmCpuGflops));
          lines.add(String.format(Locale.ROOT,
              "KERNEL shape=%s kernel=%s block=%d weights=%d rows_per_s=%.0f gflops=%.4f "
                  + "dgemm_gflops=%.3f blas=%s cpu_gflops=%.4f dgemm_cpu_gflops=%.3f cpus=%.2f "
                  + "warmup_s=%.2f",
              shape, kname, n, net.size(), rows, gflops, dgemmGflops, blas, cpuGflops,
              dgemmCpuGflops, r.cpuShare(), warm));
        }
      }
    }
    out.println("load average at end: " + loadAverage());
    out.println();
    lines.forEach(out::println);
    return 0;
  }

  /** {@code blocked} or {@code narrow}: which class a kernel is. */
  static String kernelName(Kernel k) {
    return k instanceof NarrowBackprop ? "narrow" : "blocked";
  }

  /** Forward + backward on one block of n rows with the chosen kernel: calls per second. */
  static Rate kernel(Network net, Kernels.Choice choice, int n, double seconds, int reps,
      long seed) {
    Random rnd = new Random(seed * 31 + n);
    double[] x = gaussian(rnd, n * net.inputWidth());
    double[] y = gaussian(rnd, n * net.outputWidth());
    double[] w = net.initialWeights(seed);
    double[] grad = new double[net.size()];
    Kernel bp = Kernels.forNetwork(net, n, choice);
    return measure(() -> bp.lossAndGradient(w, x, y, n, grad), seconds, reps);
  }

  /** C = A B on size x size matrices, through the same BLAS instance: calls per second. */
  static Rate dgemm(int size, double seconds, int reps, long seed) {
    Random rnd = new Random(seed);
    double[] am = gaussian(rnd, size * size);
    double[] bm = gaussian(rnd, size * size);
    double[] cm = new double[size * size];
    BLAS blas = Blas.get();
    return measure(() -> {
      blas.dgemm("N", "N", size, size, size, 1.0, am, 0, size, bm, 0, size, 0.0, cm, 0, size);
      return cm[0];
    }, seconds, reps);
  }

  interface Call {
    double run();
  }

  private static double warmupSeconds(double seconds) {
    return Math.max(0.2, seconds / 2);
  }

  /** Upper bound of one case's warm-up, however long the JIT keeps compiling. */
  private static final double MAX_WARMUP_SECONDS = 10.0;
  /** 0.1 s slices in a row without JIT activity that end the warm-up. */
  private static final int QUIET_SLICES = 10;

  /**
   * Warm-up, then {@code reps} repetitions of seconds/reps each; each counts whole calls, checking
   * the clock every batch (batches sized to ~1 ms so the clock costs nothing).
   *
   * <p>The warm-up lasts at least {@link #warmupSeconds} of this process's CPU time (not wall
   * time: on a busy machine a wall-clock warm-up runs the code too few times), and then goes on (up to
   * {@link #MAX_WARMUP_SECONDS}) until ten 0.1 s slices in a row pass in which the JIT finished no compilation:
   * on a busy machine the compiler threads are starved too, and a fixed warm-up then measures
   * half-compiled code (seen: 10x too slow in the first case).
   */
  static Rate measure(Call call, double seconds, int reps) {
    double acc = 0;
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    boolean canWatch = jit != null && jit.isCompilationTimeMonitoringSupported();
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    long minCpu = (long) (warmupSeconds(seconds) * 1e9);
    long maxEnd = t0 + (long) (Math.max(MAX_WARMUP_SECONDS, warmupSeconds(seconds)) * 1e9);
    long calls = 0;
    long now = t0;
    long sliceEnd = t0 + 100_000_000L;
    long compiled = canWatch ? jit.getTotalCompilationTime() : 0;
    long sliceCalls = 0;
    long sliceStart = t0;
    double perCall = Double.NaN;
    int quietSlices = 0;
    while (true) {
      acc += runBatch(call, 1);
      calls++;
      sliceCalls++;
      now = System.nanoTime();
      if (now >= sliceEnd) {
        long c = canWatch ? jit.getTotalCompilationTime() : 0;
        quietSlices = c == compiled ? quietSlices + 1 : 0;
        compiled = c;
        perCall = (now - sliceStart) / (double) sliceCalls;
        boolean longEnough = cpu0 < 0 ? now - t0 >= minCpu : processCpuNanos() - cpu0 >= minCpu;
        if (now >= maxEnd || (longEnough && quietSlices >= QUIET_SLICES)) {
          break;
        }
        sliceStart = now;
        sliceCalls = 0;
        sliceEnd = now + 100_000_000L;
      }
    }
    lastWarmupSeconds = (now - t0) / 1e9;
    int batch = (int) Math.max(1, Math.min(1 << 20, 1e6 / perCall));

    boolean cpuClock = processCpuNanos() >= 0;
    double[] rates = new double[reps];
    double[] cpuRates = new double[reps];
    long slice = (long) (seconds / reps * 1e9);
    for (int r = 0; r < reps; r++) {
      long cpuStart = cpuClock ? processCpuNanos() : 0;
      long start = System.nanoTime();
      long end = start + slice;
      long done = 0;
      do {
        acc += runBatch(call, batch);
        done += batch;
        now = System.nanoTime();
      } while (now < end);
      rates[r] = done / ((now - start) / 1e9);
      cpuRates[r] = cpuClock ? done / ((processCpuNanos() - cpuStart) / 1e9)
          : Double.NaN;
    }
    sink = acc;
    Arrays.sort(rates);
    Arrays.sort(cpuRates);
    return new Rate(median(rates), rates[0], rates[reps - 1], median(cpuRates));
  }

  private static double median(double[] sorted) {
    int k = sorted.length;
    return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
  }

  /**
   * The one loop that runs the measured calls, in warm-up and timed repetitions alike. Separate so
   * that the JIT compiles it (and what it inlines) once, in warm-up: with the calls in two loops of
   * {@link #measure}, the warm-up loop's OSR compilation had the kernel inlined and the timed loop
   * then ran a less optimised copy, 2x slow in the first case measured.
   */
  private static double runBatch(Call call, int count) {
    double acc = 0;
    for (int i = 0; i < count; i++) {
      acc += call.run();
    }
    return acc;
  }

  /**
   * CPU time of this process, all threads (native BLAS threads too), in ns; -1 when unknown.
   * On Linux the sum of /proc/self/task/{@literal *}/schedstat (ns resolution: the JVM's
   * process CPU time moves in 10 ms steps, too coarse for 0.1 s repetitions on a busy machine);
   * elsewhere the JVM's figure.
   */
  static long processCpuNanos() {
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
    if (java.nio.file.Files.isDirectory(tasks)) {
      long sum = 0;
      try (java.nio.file.DirectoryStream<java.nio.file.Path> ds =
          java.nio.file.Files.newDirectoryStream(tasks)) {
        for (java.nio.file.Path t : ds) {
          try {
            String line = java.nio.file.Files.readString(t.resolve("schedstat"));
            int sp = line.indexOf(' ');
            sum += Long.parseLong(sp < 0 ? line.trim() : line.substring(0, sp));
          } catch (java.io.IOException | NumberFormatException e) {
            // the thread ended meanwhile: its time is lost, a small error
          }
        }
        return sum;
      } catch (java.io.IOException e) {
        // fall through to the JVM's figure
      }
    }
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "n/a". */
  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim()
          .split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static double[] gaussian(Random rnd, int len) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = rnd.nextGaussian();
    }
    return v;
  }

  public static List<int[]> parseShapes(String spec) {
    List<int[]> shapes = new ArrayList<>();
    for (String s : spec.split(",")) {
      String[] parts = s.trim().split("[-x]");
      if (parts.length < 2) {
        throw new IllegalArgumentException("shapes: '" + s + "' needs at least an input and"
            + " an output width, e.g. 10-64-64-1");
      }
      int[] w = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          w[i] = Integer.parseInt(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("shapes: '" + s + "' is not widths joined by '-'");
        }
        if (w[i] < 1) {
          throw new IllegalArgumentException("shapes: widths must be at least 1, got '" + s
              + "'");
        }
      }
      shapes.add(w);
    }
    return shapes;
  }

  /** What kind of BLAS a netlib implementation class is. */
  static String kind(String blasName) {
    if (blasName.startsWith("JNI")) {
      return "JNI native";
    }
    if (blasName.startsWith("Vector")) {
      return "Vector API";
    }
    if (blasName.startsWith("Java")) {
      return "plain Java";
    }
    return "unknown";
  }
}
