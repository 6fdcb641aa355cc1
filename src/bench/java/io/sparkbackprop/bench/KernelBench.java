package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.blas.Blas;
import io.sparkbackprop.nn.BlockBackprop;
import io.sparkbackprop.nn.Kernel;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.NarrowBackprop;
import io.sparkbackprop.nn.Network;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jobs/bench-kernel}: speed of forward + backward ({@link Kernel#lossAndGradient}) on one
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
@Command(name = "jobs/bench-kernel", sortOptions = false,
    showDefaultValues = true,
    description = {"Forward+backward speed on one block of rows, beside BLAS dgemm. One calling",
        "thread. FLOPs counted as 6 x weights x rows. Prints a table, then per case one line",
        "'KERNEL shape=... block=... rows_per_s=... gflops=... dgemm_gflops=... blas=...'."})
public final class KernelBench implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  @Option(names = "--shapes", paramLabel = "10-2-2-1,...",
      defaultValue = "10-2-2-1,10-64-64-1,10-256-256-1",
      description = "layer widths, input first, '-' inside a shape, ',' between")
  String shapes;

  @Option(names = "--blocks", split = ",", paramLabel = "N",
      defaultValue = "64,128,256,512,1024,2048,4096", description = "rows per block")
  int[] blocks;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "1",
      description = "measured time per case, after a warm-up of at least max(S/2, 0.2 s), longer"
          + " until the JIT is quiet")
  double seconds;

  @Option(names = "--reps", paramLabel = "R", defaultValue = "5",
      description = "timed repetitions per case; the median is reported")
  int reps;

  @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
      description = "hidden layers' activation")
  String activation;

  @Option(names = "--output-activation", paramLabel = "NAME", defaultValue = "identity",
      description = "output layer's activation")
  String outputActivation;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of weights"
      + " and data")
  long seed;

  @Option(names = "--dgemm-size", paramLabel = "N", defaultValue = "1024",
      description = "size of the reference dgemm, N x N x N")
  int dgemmSize;

  @Option(names = "--no-dgemm", description = "skip the reference dgemm")
  boolean noDgemm;

  @Option(names = "--kernel", split = ",", paramLabel = "auto|blocked|narrow", defaultValue = "auto",
      description = "kernels to time, each on every shape and block: blocked (BLAS), narrow (plain"
          + " loops, for layers at most 8 wide) or auto (the one training uses); e.g."
          + " blocked,narrow")
  String[] kernels;

  @Spec CommandSpec spec;

  /** Keeps the JIT from proving any result unused. */
  private static volatile double sink;
  /** Length of the last {@link #measure} call's warm-up (one thread only). */
  private static double lastWarmupSeconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new KernelBench()).execute(args));
  }

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

  /** What to measure, checked: the options parsed. */
  private record Cases(List<int[]> shapes, Activation hidden, Activation output,
      List<Kernels.Choice> kernels) {}

  /** Runs the benchmark, printing a table and one KERNEL line per case. */
  @Override public Integer call() {
    Cases c = cases();
    PrintWriter out = spec.commandLine().getOut();
    String blas = Blas.name();
    double[] dgemm = header(out, c, blas);
    // JIT warm-up of the kernel's code paths (BLAS loops, activations) before the first case.
    for (int[] widths : c.shapes()) {
      for (Kernels.Choice kc : c.kernels()) {
        kernel(Network.of(widths, c.hidden(), c.output()), kc, 256, 0.05, 1, seed);
      }
    }
    out.println("GFLOP/s: wall clock, median (min..max); cpu-GF/s: per CPU-second of the process"
        + " (all threads); cpus: CPU-seconds per wall second; % dgemm: cpu-GF/s over dgemm's");
    out.printf(Locale.ROOT, "%-14s %-7s %8s %6s %12s %8s %14s %9s %7s %8s%n", "shape", "kernel",
        "weights", "block", "rows/s", "GFLOP/s", "(min..max)", "cpu-GF/s", "cpus", "% dgemm");
    List<String> lines = new ArrayList<>();
    for (int[] widths : c.shapes()) {
      Network net = Network.of(widths, c.hidden(), c.output());
      for (int n : blocks) {
        for (Kernels.Choice kc : c.kernels()) {
          lines.add(oneCase(out, net, kc, n, dgemm[0], dgemm[1], blas));
        }
      }
    }
    out.println("load average at end: " + Timing.loadAverage());
    out.println();
    lines.forEach(out::println);
    return 0;
  }

  /** The options, checked and parsed. */
  private Cases cases() {
    if (!(seconds >= 0.01 && seconds <= 3600) || reps < 1 || dgemmSize < 1) {
      throw new ParameterException(spec.commandLine(), "--seconds must be in [0.01, 3600],"
          + " --reps and --dgemm-size at least 1");
    }
    for (int b : blocks) {
      if (b < 1) {
        throw new ParameterException(spec.commandLine(), "--blocks must be at least 1, got " + b);
      }
    }
    try {
      List<Kernels.Choice> choices = new ArrayList<>();
      for (String k : kernels) {
        choices.add(Kernels.Choice.parse(k));
      }
      return new Cases(parseShapes(shapes), Activation.parse(activation),
          Activation.parse(outputActivation), choices);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * Prints the machine, the settings and the reference dgemm's speed; returns dgemm's GFLOP/s
   * per wall second and per CPU-second (NaN without it).
   */
  private double[] header(PrintWriter out, Cases c, String blas) {
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
    out.println("load average at start: " + Timing.loadAverage()
        + " (other processes share the cores: figures are noisy, compare runs with care)");
    out.printf(Locale.ROOT, "activations: hidden %s, output %s; %.2f s measured per case "
        + "(median of %d), warm-up >= %.2f s (until the JIT is quiet); FLOPs = 6 x weights x rows%n",
        c.hidden().label(), c.output().label(), seconds, reps, warmupSeconds(seconds));

    double dgemmGflops = Double.NaN;
    double dgemmCpuGflops = Double.NaN;
    if (!noDgemm) {
      Rate d = dgemm(dgemmSize, seconds, reps, seed);
      double flop = 2.0 * dgemmSize * dgemmSize * dgemmSize;
      dgemmGflops = d.median() * flop / 1e9;
      dgemmCpuGflops = d.cpuMedian() * flop / 1e9;
      out.printf(Locale.ROOT, "dgemm %dx%dx%d: %.2f GFLOP/s (min %.2f, max %.2f); per CPU-second "
          + "%.2f (%.2f CPU-s per s)%n", dgemmSize, dgemmSize, dgemmSize, dgemmGflops,
          d.min() * flop / 1e9, d.max() * flop / 1e9, dgemmCpuGflops, d.cpuShare());
    }
    out.println();
    return new double[] {dgemmGflops, dgemmCpuGflops};
  }

  /** Measures one case, prints its table row and returns its KERNEL line. */
  private String oneCase(PrintWriter out, Network net, Kernels.Choice kc, int n,
      double dgemmGflops, double dgemmCpuGflops, String blas) {
    String shape = Network.joinWidths(net.widths(), "-");
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
    return String.format(Locale.ROOT,
        "KERNEL shape=%s kernel=%s block=%d weights=%d rows_per_s=%.0f gflops=%.4f "
            + "dgemm_gflops=%.3f blas=%s cpu_gflops=%.4f dgemm_cpu_gflops=%.3f cpus=%.2f "
            + "warmup_s=%.2f",
        shape, kname, n, net.size(), rows, gflops, dgemmGflops, blas, cpuGflops,
        dgemmCpuGflops, r.cpuShare(), warm);
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
    long cpu0 = Timing.processCpuNanos();
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
        boolean longEnough = cpu0 < 0 ? now - t0 >= minCpu
            : Timing.processCpuNanos() - cpu0 >= minCpu;
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

    boolean cpuClock = Timing.processCpuNanos() >= 0;
    double[] rates = new double[reps];
    double[] cpuRates = new double[reps];
    long slice = (long) (seconds / reps * 1e9);
    for (int r = 0; r < reps; r++) {
      long cpuStart = cpuClock ? Timing.processCpuNanos() : 0;
      long start = System.nanoTime();
      long end = start + slice;
      long done = 0;
      do {
        acc += runBatch(call, batch);
        done += batch;
        now = System.nanoTime();
      } while (now < end);
      rates[r] = done / ((now - start) / 1e9);
      cpuRates[r] = cpuClock ? done / ((Timing.processCpuNanos() - cpuStart) / 1e9)
          : Double.NaN;
    }
    sink = acc;
    return new Rate(Timing.median(rates), Timing.quantile(rates, 0), Timing.quantile(rates, 1),
        Timing.median(cpuRates));
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

  private static double[] gaussian(Random rnd, int len) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = rnd.nextGaussian();
    }
    return v;
  }

  /** "10-64-64-1,10-2-2-1" as layer widths; a plain-words IllegalArgumentException if not. */
  static List<int[]> parseShapes(String spec) {
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
