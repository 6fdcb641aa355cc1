package io.sparkbackprop.spark;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of the test JVM, created on first use: local[2], no UI, loopback only.
 * Never stopped by a test; Spark's shutdown hook stops it when the JVM exits.
 */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("spark-backprop tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "2")
          .getOrCreate();
    }
    return spark;
  }

  public static org.apache.spark.api.java.JavaSparkContext context() {
    return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(get().sparkContext());
  }

  /**
   * Runs {@code body} with the named loggers off: for tests where Spark's error logs are expected.
   */
  public static <T> T quietly(Supplier<T> body, String... loggers) {
    Map<String, Level> saved = new HashMap<>();
    for (String l : loggers) {
      saved.put(l, LogManager.getLogger(l).getLevel());
      Configurator.setLevel(l, Level.OFF);
    }
    try {
      return body.get();
    } finally {
      saved.forEach(Configurator::setLevel);
    }
  }

  /** Spark's loggers that report a failed task with its stack trace. */
  public static final String[] TASK_FAILURE_LOGGERS = {
      "org.apache.spark.scheduler.TaskSetManager", "org.apache.spark.executor.Executor"};
}
