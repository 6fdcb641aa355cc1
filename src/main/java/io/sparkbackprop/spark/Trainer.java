package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.optim.StoppingRule;
import io.sparkbackprop.optim.UpdateRule;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop on the driver. Each iteration t:
 * <ol>
 *   <li>broadcast w and compute J(w) and g = dJ/dw over the cached blocks
 *       ({@link DistributedObjective}: executors sum, the driver divides by n once);</li>
 *   <li>stop with {@link TrainingFailed} if J or g is not finite;</li>
 *   <li>step: {@code rule.step(w, g, t)} ({@code w -= lr * g} for gradient descent);</li>
 *   <li>ask the stopping rule.</li>
 * </ol>
 * The history's objective at iteration t is J at the weights BEFORE step t.
 */
public final class Trainer {
  /**
   * One line of the history; {@code validationRmse} is NaN at iterations where it was not computed
   * (or when there is no validation data). Both are at the weights BEFORE step t.
   */
  public record Iteration(int iteration, double objective, double gradientNorm, double seconds,
      double validationRmse) {
    public Iteration(int iteration, double objective, double gradientNorm, double seconds) {
      this(iteration, objective, gradientNorm, seconds, Double.NaN);
    }
  }

  /** Called at each iteration with the weights J was evaluated at (not modified). */
  public interface Monitor {
    /** The validation RMSE at iteration t, or NaN when not computed at this iteration. */
    double validationRmse(int t, double[] w);
  }

  /** The trained weights and how training went. */
  public record Result(double[] weights, List<Iteration> history, int iterations, String stopReason) {}

  private Trainer() {}

  /**
   * @param w0 initial weights (not modified)
   * @param logEvery print a progress line every this many iterations (and the first and last)
   * @param log where progress lines go (null: nowhere)
   */
  public static Result train(DistributedObjective objective, Network net, double[] w0,
      UpdateRule rule, StoppingRule stop, int maxIterations, int logEvery, PrintStream log) {
    return train(objective, net, w0, rule, stop, maxIterations, logEvery, log, null);
  }

  /**
   * As above, with a {@code monitor} (null: none) asked at every iteration, before the step, for
   * the validation RMSE at the same weights as the objective.
   */
  public static Result train(DistributedObjective objective, Network net, double[] w0,
      UpdateRule rule, StoppingRule stop, int maxIterations, int logEvery, PrintStream log,
      Monitor monitor) {
    net.checkLength(w0);
    double[] w = w0.clone();
    List<Iteration> history = new ArrayList<>();
    int t = 0;
    while (true) {
      t++;
      long start = System.nanoTime();
      DistributedObjective.Value v =
          objective.evaluate(w, "train iteration " + t + "/" + maxIterations);
      double norm = norm(v.gradient());
      if (!Double.isFinite(v.objective()) || !Double.isFinite(norm)) {
        throw new TrainingFailed("training diverged at iteration " + t + ": the objective is "
            + v.objective() + " and the gradient norm " + norm
            + "; a smaller learning rate (--lr) may help; no model was written");
      }
      double val = monitor == null ? Double.NaN : monitor.validationRmse(t, w);
      rule.step(w, v.gradient(), t);
      if (!Double.isFinite(norm(w))) {
        throw new TrainingFailed("training diverged at iteration " + t + ": the step made the"
            + " weights non-finite; a smaller learning rate (--lr) may help; no model was written");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      history.add(new Iteration(t, v.objective(), norm, seconds, val));
      boolean done = stop.shouldStop(t, v.objective());
      if (log != null && (t == 1 || done || t % Math.max(1, logEvery) == 0)) {
        log.printf("iteration %5d/%d  objective %.10g  |g| %.4g  %.3f s%s%n", t, maxIterations,
            v.objective(), norm, seconds,
            Double.isNaN(val) ? "" : String.format("  validation RMSE %.6g", val));
      }
      if (done) {
        return new Result(w, List.copyOf(history), t, stop.reason());
      }
    }
  }

  static double norm(double[] g) {
    double s = 0.0;
    for (double v : g) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
