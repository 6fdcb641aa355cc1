package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Metrics;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

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
 * @param outputs for a network of k > 1 outputs, each output's metrics (rmse, mae and r2 above
 *     are then their means); empty for one output
 */
public record RegressionMetrics(long rows, long skippedRows, double rmse, double mae, double r2,
    List<RegressionMetrics> outputs) implements Serializable {

  /** One output. */
  public RegressionMetrics(long rows, long skippedRows, double rmse, double mae, double r2) {
    this(rows, skippedRows, rmse, mae, r2, List.of());
  }

  public RegressionMetrics {
    outputs = List.copyOf(outputs);
  }

  static RegressionMetrics of(Metrics m, long skipped) {
    return new RegressionMetrics(m.n(), skipped, m.rmse(), m.mae(), m.r2());
  }

  /**
   * The metrics of k outputs: for k = 1 those of the one output; for k > 1 the per-output metrics
   * in {@link #outputs} and, at the top, their unweighted means (rmse, mae and r2 each averaged
   * over the outputs, as scikit-learn's {@code multioutput='uniform_average'}).
   */
  static RegressionMetrics of(List<Metrics> perOutput, long skipped) {
    if (perOutput.size() == 1) {
      return of(perOutput.get(0), skipped);
    }
    List<RegressionMetrics> outs = new ArrayList<>();
    double rmse = 0;
    double mae = 0;
    double r2 = 0;
    for (Metrics m : perOutput) {
      outs.add(of(m, skipped));
      rmse += m.rmse();
      mae += m.mae();
      r2 += m.r2();
    }
    int k = perOutput.size();
    return new RegressionMetrics(perOutput.get(0).n(), skipped, rmse / k, mae / k, r2 / k, outs);
  }

  /** rmse squared. */
  public double mse() {
    return rmse * rmse;
  }
}
