package io.sparkbackprop.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;

/** Creating the SparkSession: local mode binds loopback only; spark-submit's settings win. */
final class Sessions {
  private Sessions() {}

  /**
   * A session for {@code app}. When {@code master} is null the one set by spark-submit is used, or
   * {@code local[*]} when there is none.
   */
  public static SparkSession get(String app, String master) {
    SparkSession.Builder b = SparkSession.builder().appName("spark-backprop " + app);
    String m = master(master);
    b.master(m);
    if (m.startsWith("local")) {
      b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
      b.config("spark.ui.enabled", System.getProperty("spark.ui.enabled", "false"));
      b.config("spark.sql.shuffle.partitions", "4");
    }
    return b.getOrCreate();
  }

  /**
   * As {@link #get}, after a line on {@code out} saying so ("APP: starting Spark (MASTER)..."):
   * starting Spark takes tens of seconds, which should not pass in silence.
   */
  public static SparkSession start(String app, String master, PrintWriter out) {
    out.println(app + ": starting Spark (" + master(master) + ")...");
    out.flush();
    return get(app, master);
  }

  /** The master a session for {@code master} uses: it, else spark-submit's, else local[*]. */
  private static String master(String master) {
    String m = master != null ? master : System.getProperty("spark.master");
    return m != null ? m : "local[*]";
  }
}
