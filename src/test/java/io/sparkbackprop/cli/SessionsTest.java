package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A standalone master that does not accept the application (a secured cluster and no secret):
 * how it is recognised, and the one line the command line prints for it. The run itself is
 * jobs/cluster-test's check 7 (a real secured cluster; Spark gives up after 60 s).
 */
class SessionsTest {
  @Test
  void onlyAMastersApplicationIdCountsAsRegistered() {
    // Spark's Master names applications "app-" + yyyyMMddHHmmss + "-" + 4-digit counter (as in
    // master.log: "Registered app spark-backprop train with ID app-20261203155321-0000"); a
    // context that never registered keeps TaskScheduler's "spark-application-" + milliseconds.
    assertTrue(Sessions.registered("app-20261203155321-0000"));
    assertFalse(Sessions.registered("spark-application-1796310697754"));
    assertFalse(Sessions.registered("local-1796310697754"));
    assertFalse(Sessions.registered(null));
  }

  @Test
  void aStoppedContextDuringStartIsRecognisedByItsMessageOnly() {
    // Spark's SparkContext.assertNotStopped: the first line, then where it was created and stopped.
    assertTrue(Sessions.stopped(new IllegalStateException(
        "Cannot call methods on a stopped SparkContext.\nThis stopped SparkContext was created at:")));
    assertFalse(Sessions.stopped(new IllegalStateException("Cannot find the column")));
    assertFalse(Sessions.stopped(new RuntimeException(
        "Cannot call methods on a stopped SparkContext.")));
  }

  @Test
  void aRefusedApplicationIsOneLineNamingTheMasterAndTheSecret() {
    IllegalStateException spark = new IllegalStateException(
        "Cannot call methods on a stopped SparkContext.\nThis stopped SparkContext was created at:");
    // As picocli hands it over: the command's exception wrapped once more.
    RuntimeException thrown = new RuntimeException("wrapped",
        new Sessions.NotRegistered("spark://127.0.0.1:7177", spark));
    Failures.Report r = Failures.of(thrown, "train", "in.parquet", null, Map.of());
    assertEquals(1, r.exitCode(), r.line());
    assertFalse(r.line().contains("\n"), "not one line: " + r.line());
    assertTrue(r.line().startsWith("could not register with the master spark://127.0.0.1:7177"
        + " (all masters unresponsive): is it running, and if the cluster is secured"), r.line());
    assertTrue(r.line().contains("spark.authenticate=true")
        && r.line().contains("--secret-file"), r.line());
    // Without the mapping the same failure reads as Spark's words, which say nothing of the cause.
    assertEquals("train failed: IllegalStateException: Cannot call methods on a stopped"
        + " SparkContext.", Failures.of(spark, "train", "in.parquet", null, Map.of()).line());
  }
}
