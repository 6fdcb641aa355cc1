package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.optim.Clipping;
import io.sparkbackprop.optim.EarlyStopping;
import io.sparkbackprop.optim.L2;
import io.sparkbackprop.optim.StoppingRule;
import io.sparkbackprop.optim.UpdateRule;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop on the driver for the step-by-step rules (gd, sgd, momentum, adam). Each
 * iteration t:
 * <ol>
 *   <li>broadcast w; J(w) and g = dJ/dw over the cached blocks, or over a Bernoulli sample of
 *       their rows for sgd ({@link DistributedObjective}: executors sum, the driver divides by n
 *       once); an empty sample takes no step;</li>
 *   <li>add the L2 penalty (weights only) to J and g;</li>
 *   <li>stop with {@link TrainingFailed} if J or g is not finite;</li>
 *   <li>ask the monitor for the validation RMSE at w, and early stopping whether to stop;</li>
 *   <li>clip g to the maximum norm; step: {@code rule.step(w, g, t)};</li>
 *   <li>ask the stopping rule; write a checkpoint every k iterations.</li>
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

  /**
   * Options of the loop.
   *
   * @param maxIterations stop after this many iterations
   * @param tol stop when the objective's relative change is below tol (0: never)
   * @param logEvery a progress line every k iterations (and the first and last)
   * @param l2 L2 penalty alpha on the weights, not the biases (0: none)
   * @param clipNorm clip the gradient to this norm (0: no clipping)
   * @param batchFraction fraction of rows sampled per iteration (1: full batch)
   * @param seed seed of the row samples
   * @param patience early stopping after this many validation evaluations without improvement
   *     (0: no early stopping)
   * @param minDelta the improvement of validation RMSE that counts
   * @param checkpointDir where to write checkpoints (null: none)
   * @param checkpointEvery write one every k iterations
   * @param run a fingerprint of network and options, stored in checkpoints
   */
  public record Options(int maxIterations, double tol, int logEvery, double l2, double clipNorm,
      double batchFraction, long seed, int patience, double minDelta, Path checkpointDir,
      int checkpointEvery, String run) {
    public static Options basic(int maxIterations, double tol, int logEvery) {
      return new Options(maxIterations, tol, logEvery, 0, 0, 1.0, 0, 0, 0, null, 1, "");
    }
  }

  /**
   * The trained weights and how training went; {@code bestIteration} is the iteration whose
   * weights were kept by early stopping (0 when the last weights are kept).
   */
  public record Result(double[] weights, List<Iteration> history, int iterations, String stopReason,
      int bestIteration) {
    public Result(double[] weights, List<Iteration> history, int iterations, String stopReason) {
      this(weights, history, iterations, stopReason, 0);
    }
  }

  private Trainer() {}

  /** Full-batch training with a stopping rule and no extras. */
  public static Result train(DistributedObjective objective, Network net, double[] w0,
      UpdateRule rule, StoppingRule stop, int maxIterations, int logEvery, PrintStream log) {
    return train(objective, net, w0, rule, stop, maxIterations, logEvery, log, null);
  }

  /** As above, with a validation monitor (null: none). */
  public static Result train(DistributedObjective objective, Network net, double[] w0,
      UpdateRule rule, StoppingRule stop, int maxIterations, int logEvery, PrintStream log,
      Monitor monitor) {
    return train(objective, net, w0, rule, stop, Options.basic(maxIterations, 0, logEvery), log,
        monitor, null);
  }

  /**
   * The full loop.
   *
   * @param w0 initial weights (not modified)
   * @param resume a checkpoint to continue from (null: start at iteration 1 from w0)
   */
  public static Result train(DistributedObjective objective, Network net, double[] w0,
      UpdateRule rule, StoppingRule stop, Options o, PrintStream log, Monitor monitor,
      Checkpoint resume) {
    net.checkLength(w0);
    double[] w = w0.clone();
    List<Iteration> history = new ArrayList<>();
    EarlyStopping early = o.patience() > 0 ? new EarlyStopping(o.patience(), o.minDelta()) : null;
    int t = 0;
    if (resume != null) {
      if (!resume.run().equals(o.run())) {
        throw new TrainingFailed("the checkpoint was written by a run with other options or another"
            + " network; start without --resume or use the same options");
      }
      net.checkLength(resume.weights());
      w = resume.weights().clone();
      rule.restore(resume.optimizerState());
      history.addAll(resume.history());
      for (Iteration it : history) {
        stop.shouldStop(it.iteration(), it.objective());
      }
      if (early != null && resume.early() != null) {
        early.restore(resume.early()[0], resume.bestWeights(), (int) resume.early()[1],
            (int) resume.early()[2]);
      }
      t = resume.iteration();
      if (log != null) {
        log.println("resumed from the checkpoint after iteration " + t);
      }
    }
    int max = o.maxIterations();
    while (true) {
      t++;
      long start = System.nanoTime();
      String what = "train iteration " + t + "/" + max;
      DistributedObjective.Value v = objective.evaluate(w, what, o.batchFraction(), o.seed(), t);
      if (v.rows() == 0) {
        if (log != null) {
          log.println("iteration " + t + ": the row sample is empty; no step");
        }
        history.add(new Iteration(t, Double.NaN, Double.NaN, (System.nanoTime() - start) / 1e9));
        if (t >= max) {
          return finish(w, history, t, "reached the maximum of " + max + " iterations", early);
        }
        continue;
      }
      double[] g = v.gradient();
      double objectiveValue = v.objective() + L2.apply(net, o.l2(), w, g);
      double norm = norm(g);
      if (!Double.isFinite(objectiveValue) || !Double.isFinite(norm)) {
        throw new TrainingFailed("training diverged at iteration " + t + ": the objective is "
            + objectiveValue + " and the gradient norm " + norm
            + "; a smaller learning rate (--lr) may help; no model was written");
      }
      double val = monitor == null ? Double.NaN : monitor.validationRmse(t, w);
      boolean earlyStop = early != null && !Double.isNaN(val) && early.update(t, val, w);
      Clipping.clip(g, o.clipNorm());
      rule.step(w, g, t);
      if (!Double.isFinite(norm(w))) {
        throw new TrainingFailed("training diverged at iteration " + t + ": the step made the"
            + " weights non-finite; a smaller learning rate (--lr) may help; no model was written");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      history.add(new Iteration(t, objectiveValue, norm, seconds, val));
      boolean done = stop.shouldStop(t, objectiveValue) || earlyStop;
      if (log != null && (t == 1 || done || t % Math.max(1, o.logEvery()) == 0)) {
        log.printf("iteration %5d/%d  objective %.10g  |g| %.4g  %.3f s%s%n", t, max,
            objectiveValue, norm, seconds,
            Double.isNaN(val) ? "" : String.format("  validation RMSE %.6g", val));
      }
      if (done) {
        String reason = earlyStop
            ? "early stopping: validation RMSE did not improve by " + o.minDelta() + " in "
                + o.patience() + " evaluations; best " + early.best() + " at iteration "
                + early.bestIteration()
            : stop.reason();
        return finish(w, history, t, reason, early);
      }
      if (o.checkpointDir() != null && t % Math.max(1, o.checkpointEvery()) == 0) {
        new Checkpoint(o.run(), t, w, rule.state(), List.copyOf(history),
            early == null ? null : new double[] {early.best(), early.bestIteration(),
                early.badEvaluations()},
            early == null ? null : early.bestWeights()).write(o.checkpointDir());
      }
    }
  }

  /** With early stopping, the best weights seen are the result. */
  private static Result finish(double[] w, List<Iteration> history, int t, String reason,
      EarlyStopping early) {
    if (early != null && early.bestWeights() != null) {
      return new Result(early.bestWeights(), List.copyOf(history), t, reason, early.bestIteration());
    }
    return new Result(w, List.copyOf(history), t, reason, 0);
  }

  static double norm(double[] g) {
    double s = 0.0;
    for (double v : g) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
