package io.sparkbackprop.cli;

import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.optim.Iteration;
import java.util.List;

/**
 * {@code history.csv}: one line per iteration, {@code iteration,objective,gradient_norm,seconds}
 * and, with validation data, {@code validation_rmse} (empty where not computed). Doubles in
 * Java's shortest round-trip form.
 */
final class History {
  static final String FILE = OutputTarget.HISTORY_FILE;

  private History() {}

  public static String csv(List<Iteration> history, boolean validation) {
    StringBuilder csv = new StringBuilder("iteration,objective,gradient_norm,seconds"
        + (validation ? ",validation_rmse" : "") + "\n");
    for (Iteration it : history) {
      csv.append(it.iteration()).append(',').append(it.objective()).append(',')
          .append(it.gradientNorm()).append(',').append(it.seconds());
      if (validation) {
        csv.append(',').append(Double.isNaN(it.validationRmse()) ? "" : it.validationRmse());
      }
      csv.append('\n');
    }
    return csv.toString();
  }
}
