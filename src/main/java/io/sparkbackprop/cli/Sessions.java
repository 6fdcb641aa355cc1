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
    if (!m.startsWith("spark://")) {
      return b.getOrCreate();
    }
    SparkSession s;
    try {
      s = b.getOrCreate();
    } catch (IllegalStateException e) {
      if (stopped(e)) {
        throw new NotRegistered(m, e);
      }
      throw e;
    }
    if (!registered(s.sparkContext().applicationId())) {
      s.stop();
      throw new NotRegistered(m, null);
    }
    return s;
  }

  /**
   * Whether a standalone master accepted the application whose SparkContext has {@code appId}.
   * The master names the applications it registers "app-TIMESTAMP-N"; when registration fails
   * (Spark gives up after 3 tries of 20 s: "All masters are unresponsive") the context is
   * already being stopped and its id is Spark's placeholder "spark-application-TIMESTAMP".
   */
  static boolean registered(String appId) {
    return appId != null && appId.startsWith("app-");
  }

  /** Whether {@code e} is Spark refusing a call on a stopped SparkContext. */
  static boolean stopped(Throwable e) {
    return e instanceof IllegalStateException && e.getMessage() != null
        && e.getMessage().startsWith("Cannot call methods on a stopped SparkContext");
  }

  /**
   * A standalone master did not accept the application: it does not run, or answers only
   * applications that authenticate (a secured cluster). The message says so in one line.
   */
  static final class NotRegistered extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotRegistered(String master, Throwable cause) {
      super("could not register with the master " + master + " (all masters unresponsive): is it"
          + " running, and if the cluster is secured, does the application have"
          + " spark.authenticate=true and the cluster's secret (jobs/submit --secret-file FILE)?",
          cause);
    }
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
