package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.optim.Iteration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

/**
 * A routine L-BFGS restart (a failed line search, the curvature history thrown away) is counted
 * in the summary and is not an ERROR or WARN in the user's log, whatever the user's logging
 * configuration lets through.
 */
class LbfgsRestartLogTest {
  /** Every event of the "breeze" loggers, at every level, while {@code run} runs. */
  private static List<LogEvent> breezeEvents(Runnable run) {
    List<LogEvent> events = Collections.synchronizedList(new ArrayList<>());
    AbstractAppender capture = new AbstractAppender("breeze-capture", null, null, true,
        Property.EMPTY_ARRAY) {
      @Override public void append(LogEvent e) {
        events.add(e.toImmutable());
      }
    };
    capture.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration cfg = ctx.getConfiguration();
    // A user's configuration that lets everything of Breeze through.
    LoggerConfig breeze = new LoggerConfig("breeze", Level.ALL, false);
    breeze.addAppender(capture, Level.ALL, null);
    cfg.addLogger("breeze", breeze);
    ctx.updateLoggers();
    try {
      run.run();
    } finally {
      cfg.removeLogger("breeze");
      ctx.updateLoggers();
      capture.stop();
    }
    return new ArrayList<>(events);
  }

  @Test
  void aRestartIsCountedAndLoggedAtInfo() {
    // 10-2-1 with relu on diabetes: Breeze's line search fails several times on the way (the
    // kinks of relu), each time it restarts; here 4 times in 214 iterations.
    MultilayerPerceptronRegressionModel[] m = new MultilayerPerceptronRegressionModel[1];
    List<LogEvent> events = breezeEvents(() -> m[0] = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 2, 1}).setSolver("l-bfgs").setHiddenActivation("relu")
        .setMaxIter(300).fit(MlFixtures.diabetesAssembled()));
    TrainingSummary s = m[0].summary();
    assertTrue(s.lbfgsHistoryResets() > 0, "no restart counted; stop reason " + s.stopReason());
    List<String> loud = events.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.WARN))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getMessage().getFormattedMessage())
        .toList();
    assertEquals(List.of(), loud, "Breeze logged at WARN or above");
    long restarts = events.stream().filter(e -> e.getMessage().getFormattedMessage()
        .startsWith("Failure! Resetting history")).count();
    assertEquals(s.lbfgsHistoryResets(), restarts, "Breeze's restart lines (at INFO) vs the count");
    assertTrue(s.stopReason().contains(s.lbfgsHistoryResets() + " restart"), s.stopReason());
    // A restart repeats the point it starts from: the history holds J twice in a row.
    List<Iteration> h = s.history();
    int repeats = 0;
    for (int i = 1; i < h.size(); i++) {
      repeats += h.get(i).objective() == h.get(i - 1).objective() ? 1 : 0;
    }
    assertTrue(repeats >= s.lbfgsHistoryResets(), repeats + " repeated objectives");
    // The count travels with the model.
    assertEquals(s.lbfgsHistoryResets(),
        TrainingSummary.fromJson(s.toJson()).lbfgsHistoryResets());
  }
}
