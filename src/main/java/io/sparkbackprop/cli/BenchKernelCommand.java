package io.sparkbackprop.cli;

import io.sparkbackprop.bench.KernelBench;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench-kernel}: the options of {@link KernelBench}. */
@Command(mixinStandardHelpOptions = true, versionProvider = CommonOptions.Version.class,
    name = "bench-kernel", sortOptions = false, showDefaultValues = true,
    description = {"Forward+backward speed on one block of rows, beside BLAS dgemm.",
        "One calling thread. FLOPs counted as 6 x weights x rows. Prints a table, then one line",
        "'KERNEL shape=... block=... rows_per_s=... gflops=... dgemm_gflops=... blas=...' per case."})
final class BenchKernelCommand implements Callable<Integer> {
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

  @Override public Integer call() {
    if (!(seconds >= 0.01 && seconds <= 3600) || reps < 1 || dgemmSize < 1) {
      throw new UsageException("bench-kernel: --seconds must be in [0.01, 3600], --reps and"
          + " --dgemm-size at least 1");
    }
    for (int b : blocks) {
      if (b < 1) {
        throw new UsageException("bench-kernel: --blocks must be at least 1, got " + b);
      }
    }
    List<Kernels.Choice> choices = new ArrayList<>();
    for (String k : kernels) {
      try {
        choices.add(Kernels.Choice.parse(k));
      } catch (IllegalArgumentException e) {
        throw new UsageException("bench-kernel: --kernel: " + e.getMessage());
      }
    }
    return KernelBench.run(new KernelBench.Options(KernelBench.parseShapes(shapes), blocks,
        seconds, reps, Activation.parse(activation), Activation.parse(outputActivation), seed,
        noDgemm ? 0 : dgemmSize, choices), spec.commandLine().getOut());
  }
}
