package io.sparkbackprop.cli;

import io.sparkbackprop.bench.KernelBench;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point: {@code Main COMMAND [options]}. Bad input is one line on stderr and exit code 2;
 * any other failure is one line and exit code 1 (set SBP_DEBUG=1 for the stack trace).
 */
public final class Main {
  /** A sub-command: returns its exit code, throws {@link UsageException} for bad input. */
  public interface Command {
    int run(String[] args, PrintStream out) throws Exception;
  }

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();
  private static final Map<String, String> SUMMARIES = new LinkedHashMap<>();

  static {
    register("gradcheck", "compare backprop with finite differences on every weight",
        GradCheckCommand::run);
    register("train", "train a network on a Parquet table by distributed gradient descent",
        TrainCommand::run);
    register("predict", "append a model's predictions to a Parquet table", PredictCommand::run);
    register("evaluate", "RMSE, MAE and R^2 of a model on labelled Parquet", EvaluateCommand::run);
    register("generate", "write Friedman #1 regression data as Parquet", GenerateCommand::run);
    register("convert", "convert a CSV file with a header to Parquet", ConvertCommand::run);
    register("bench-kernel", "forward+backward speed on one block, beside BLAS dgemm",
        KernelBench::run);
  }

  private static void register(String name, String summary, Command c) {
    COMMANDS.put(name, c);
    SUMMARIES.put(name, summary);
  }

  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(argv, System.out, System.err));
  }

  /** Runs a command and returns its exit code; never throws. */
  public static int run(String[] argv, PrintStream out, PrintStream err) {
    if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
      out.println("usage: spark-backprop COMMAND [options]   (COMMAND --help for its options)");
      SUMMARIES.forEach((k, v) -> out.printf("  %-12s %s%n", k, v));
      return argv.length == 0 ? 2 : 0;
    }
    Command c = COMMANDS.get(argv[0]);
    if (c == null) {
      err.println("error: unknown command '" + argv[0] + "' (known: "
          + String.join(", ", COMMANDS.keySet()) + ")");
      return 2;
    }
    try {
      return c.run(Arrays.copyOfRange(argv, 1, argv.length), out);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (Exception | Error e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        if (root instanceof UsageException) {
          break;
        }
        root = root.getCause();
      }
      if (root instanceof UsageException) {
        err.println("error: " + root.getMessage());
        return 2;
      }
      if (root instanceof io.sparkbackprop.spark.TrainingFailed) {
        err.println("error: " + root.getMessage());
        return 1;
      }
      err.println("error: " + argv[0] + " failed: " + root.getClass().getSimpleName() + ": "
          + root.getMessage());
      if (System.getenv("SBP_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }
}
