package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.optim.EarlyStopping;
import io.sparkbackprop.optim.L2;
import io.sparkbackprop.optim.Lbfgs;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Training with Breeze's L-BFGS: its line search calls {@link DistributedObjective#evaluate} (one
 * broadcast, one pass, the broadcast destroyed) as often as it needs; each L-BFGS iteration is one
 * line of the history. Full batch only; L2 is added to J and g as in {@link Trainer}.
 */
public final class LbfgsTrainer {
  private LbfgsTrainer() {}

  public static Trainer.Result train(DistributedObjective objective, Network net, double[] w0,
      Trainer.Options o, int memory, PrintStream log, Trainer.Monitor monitor) {
    List<Trainer.Iteration> history = new ArrayList<>();
    EarlyStopping early = o.patience() > 0 ? new EarlyStopping(o.patience(), o.minDelta()) : null;
    int[] calls = {0};
    long[] last = {System.nanoTime()};
    boolean[] earlyStopped = {false};
    Lbfgs.Result r = Lbfgs.minimize(w -> {
      calls[0]++;
      DistributedObjective.Value v = objective.evaluate(w, "train L-BFGS evaluation " + calls[0]);
      double[] g = v.gradient();
      double j = v.objective() + L2.apply(net, o.l2(), w, g);
      if (!Double.isFinite(j) || !Double.isFinite(Trainer.norm(g))) {
        throw new TrainingFailed("L-BFGS met a non-finite objective at evaluation " + calls[0]
            + "; check the data scale (standardization) or use --optimizer gd with a small --lr");
      }
      return new Lbfgs.ValueAndGradient(j, g);
    }, w0, o.maxIterations(), memory, o.tol() > 0 ? o.tol() : 1e-9, (iter, value, gnorm, x) -> {
      long now = System.nanoTime();
      double seconds = (now - last[0]) / 1e9;
      last[0] = now;
      double val = monitor == null ? Double.NaN : monitor.validationRmse(iter + 1, x);
      history.add(new Trainer.Iteration(iter + 1, value, gnorm, seconds, val));
      boolean stop = early != null && !Double.isNaN(val) && early.update(iter + 1, val, x);
      earlyStopped[0] |= stop;
      if (log != null && (iter == 0 || (iter + 1) % Math.max(1, o.logEvery()) == 0)) {
        log.printf("L-BFGS iteration %4d  objective %.10g  |g| %.4g  %.3f s  (%d evaluations)%s%n",
            iter + 1, value, gnorm, seconds, calls[0],
            Double.isNaN(val) ? "" : String.format("  validation RMSE %.6g", val));
      }
      return stop;
    });
    String reason = earlyStopped[0]
        ? "early stopping: validation RMSE did not improve by " + o.minDelta() + " in "
            + o.patience() + " evaluations; best " + early.best() + " at iteration "
            + early.bestIteration()
        : r.reason() + " after " + calls[0] + " evaluations";
    if (early != null && early.bestWeights() != null) {
      return new Trainer.Result(early.bestWeights(), List.copyOf(history), history.size(), reason,
          early.bestIteration());
    }
    return new Trainer.Result(r.x(), List.copyOf(history), history.size(), reason, 0);
  }
}
