package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Metrics;
import java.io.Serializable;

/**
 * Regression metrics in the label's units, as MLlib's {@code RegressionEvaluator} defines them:
 * {@code rmse = sqrt(mean (y - yhat)^2)}, {@code mae = mean |y - yhat|},
 * {@code r2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2} (NaN when every label is equal).
 *
 * @param rows rows measured
 * @param skippedRows rows of the Dataset left out for a null, NaN or infinite value (when
 *     handleInvalid is skip; 0 in a training summary, whose invalidRows counts them)
 * @param rmse root mean squared error
 * @param mae mean absolute error
 * @param r2 coefficient of determination
 */
public record RegressionMetrics(long rows, long skippedRows, double rmse, double mae, double r2)
    implements Serializable {

  static RegressionMetrics of(Metrics m, long skipped) {
    return new RegressionMetrics(m.n(), skipped, m.rmse(), m.mae(), m.r2());
  }

  /** rmse squared. */
  public double mse() {
    return rmse * rmse;
  }
}
