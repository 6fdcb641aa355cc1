package io.sparkbackprop.cli;

import io.sparkbackprop.spark.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The tests' one way to run the command line in this JVM: {@link Main#run} on the tests' shared
 * Spark session, with what it printed captured.
 *
 * @param code the exit code
 * @param out what went to stdout
 * @param err what went to stderr
 */
public record CliRun(int code, String out, String err) {
  /**
   * Runs {@code spark-backprop ARGV...} on the tests' Spark session (started first, so that the
   * command finds it) and returns what it printed and returned.
   */
  public static CliRun of(String... argv) {
    SparkTestSession.get();
    return withoutSpark(argv);
  }

  /** The same for a command that starts no Spark (gradcheck, --help): no session is started. */
  public static CliRun withoutSpark(String... argv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(argv, o, e);
    }
    return new CliRun(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }
}
