package io.sparkbackprop.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** What every benchmark measures with: quantiles of repeated timings, the process's CPU time. */
final class Timing {
  private Timing() {}

  /** The median of {@code xs} (the mean of the middle two when their number is even). */
  static double median(List<Double> xs) {
    return quantile(xs, 0.5);
  }

  /** As {@link #median(List)}. */
  static double median(double[] xs) {
    return quantile(xs, 0.5);
  }

  /** As {@link #quantile(double[], double)}. */
  static double quantile(List<Double> xs, double q) {
    return quantile(xs.stream().mapToDouble(Double::doubleValue).toArray(), q);
  }

  /**
   * The {@code q} quantile of {@code xs} (not modified), interpolated linearly between order
   * statistics: with s sorted, s[k] + f (s[k + 1] - s[k]) where k + f = q (n - 1). NaN when empty.
   */
  static double quantile(double[] xs, double q) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }

  /**
   * CPU time of this process, all threads (native BLAS threads too), in ns; -1 when unknown.
   * On Linux the sum of /proc/self/task/{@literal *}/schedstat (ns resolution: the JVM's
   * process CPU time moves in 10 ms steps, too coarse for 0.1 s repetitions on a busy machine);
   * elsewhere the JVM's figure.
   */
  static long processCpuNanos() {
    Path tasks = Path.of("/proc/self/task");
    if (Files.isDirectory(tasks)) {
      long sum = 0;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
        for (Path t : ds) {
          try {
            String line = Files.readString(t.resolve("schedstat"));
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
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "n/a". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
