package io.sparkbackprop.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code Main COMMAND [options]}. Bad input is one line on stderr and exit code 2;
 * a training failure one line and exit code 1; any other failure one line and exit code 1
 * (set SBP_DEBUG=1 for the stack trace). Every command takes {@code --help}.
 */
@Command(name = "spark-backprop", mixinStandardHelpOptions = false,
    description = "Feed-forward neural-network regression on Apache Spark.",
    subcommands = {GradCheckCommand.class, TrainCommand.class, PredictCommand.class,
        EvaluateCommand.class, GenerateCommand.class, ConvertCommand.class})
public final class Main implements Callable<Integer> {
  @Override public Integer call() {
    return 2;
  }

  /**
   * Exits with the command's code. One exception: a success inside a YARN application master
   * (spark-submit --master yarn --deploy-mode cluster) returns instead, because there main() runs
   * in a thread of the master, and a System.exit before the master has reported its final status
   * makes YARN mark the application FAILED and run it again; after main returns, the master reports
   * SUCCEEDED and ends its JVM itself. Everywhere else the exit is needed: the Spark session's
   * threads would keep the JVM alive.
   */
  public static void main(String[] argv) {
    int code = run(argv, System.out, System.err);
    if (code != 0 || !inYarnApplicationMaster()) {
      System.exit(code);
    }
  }

  /** spark-submit's settings, which the YARN application master makes system properties. */
  static boolean inYarnApplicationMaster() {
    return "cluster".equals(System.getProperty("spark.submit.deployMode"))
        && System.getProperty("spark.master", "").startsWith("yarn");
  }

  /** Runs a command and returns its exit code; never throws. */
  public static int run(String[] argv, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8),
        true);
    PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8),
        true);
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(o).setErr(e).setCaseInsensitiveEnumValuesAllowed(true).setOverwrittenOptionsAllowed(true);
    // The Params' docs as the options' help. Set here rather than named in the annotations:
    // under spark-submit picocli may sit in another class loader than ours, which cannot find a
    // bundle by name.
    cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().resourceBundle(
        new ParamDocs(sub.getCommandSpec())));
    if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
      o.println("usage: spark-backprop COMMAND [options]   (COMMAND --help for its options)");
      cl.getSubcommands().forEach((name, sub) -> o.printf("  %-12s %s%n", name,
          sub.getCommandSpec().usageMessage().description().length == 0 ? ""
              : sub.getCommandSpec().usageMessage().description()[0].replace("%n", " ")));
      o.flush();
      return argv.length == 0 ? 2 : 0;
    }
    if (!cl.getSubcommands().containsKey(argv[0])) {
      e.println("error: unknown command '" + argv[0] + "' (known: "
          + String.join(", ", cl.getSubcommands().keySet()) + ")");
      return 2;
    }
    cl.setParameterExceptionHandler((ex, args) -> {
      String name = ex.getCommandLine().getCommandName();
      e.println("error: " + name + ": " + Failures.firstLine(ex.getMessage())
          + " (see " + name + " --help)");
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, sub, parsed) -> {
      Object cmd = sub.getCommand();
      String input = cmd instanceof TrainCommand t ? t.input
          : cmd instanceof PredictCommand p ? p.in.input
          : cmd instanceof EvaluateCommand v ? v.in.input : null;
      String validation = cmd instanceof TrainCommand t && t.validation != null
          ? t.validation.path : null;
      Map<String, String> options = cmd instanceof TrainCommand t ? t.optionNames()
          : ParamOptions.names(sub.getCommandSpec());
      Failures.Report r = Failures.of(ex, sub.getCommandName(), input, validation, options);
      String details = Failures.details();
      e.println("error: " + r.line() + (details == null ? "" : " (details: " + details + ")"));
      if (System.getenv("SBP_DEBUG") != null) {
        ex.printStackTrace(e);
      }
      return r.exitCode();
    });
    int code;
    try {
      code = cl.execute(argv);
    } catch (Throwable t) {
      // picocli hands Exceptions to the handler above; an Error (say, out of memory) comes here.
      Failures.Report r = Failures.of(t, argv[0], null, null, Map.of());
      e.println("error: " + r.line());
      if (System.getenv("SBP_DEBUG") != null) {
        t.printStackTrace(e);
      }
      code = r.exitCode();
    }
    o.flush();
    e.flush();
    return code;
  }
}
