package io.sparkbackprop.optim;

import io.sparkbackprop.errors.TrainingFailed;
import breeze.linalg.DenseVector;
import breeze.linalg.DenseVector$mcD$sp;
import breeze.optimize.DiffFunction;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.LBFGS;
import breeze.util.LazyLogger;
import io.sparkbackprop.nn.Network;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import scala.Function0;
import scala.Tuple2;
import scala.reflect.ClassTag;

/**
 * The one training loop, for every solver. Iteration t (1-based) at weights w_t:
 * <ol>
 *   <li>J(w_t) and g = dJ/dw at w_t, the L2 penalty (weights only, {@link L2}) added to both; the
 *       run fails with {@link TrainingFailed} when either is not finite (also at any point
 *       L-BFGS's line search tries);</li>
 *   <li>the monitor gives the validation RMSE at w_t (or NaN), and early stopping is told;</li>
 *   <li>the solver moves: an update rule steps {@code w -= ...} with g clipped to the maximum
 *       norm; L-BFGS runs its line search to its next iterate;</li>
 *   <li>the history records (t, J(w_t), |g|, seconds, validation RMSE) and the listener hears it;
 *       the run fails with {@link TrainingFailed} when {@link Divergence} says J has diverged
 *       (J_t &gt; 100 J_1, or 10 rises in a row that double it; a resumed run feeds it its
 *       restored history first), before any other rule is asked; the stopping rule (maximum
 *       iterations, relative change of J below tol), early stopping or L-BFGS's own convergence
 *       may end the run;</li>
 *   <li>every {@code checkpointInterval} iterations a checkpoint is written.</li>
 * </ol>
 * The result is the weights after the last move (w_{T+1}), or early stopping's best weights.
 * With L-BFGS, Breeze's iterate k is w_{k+1}, so {@code maxIterations = N} runs Breeze's N
 * iterations. With local steps ({@link Solver.Local}) iteration t is round t of {@link Rounds}:
 * step 1 runs the round from w_t and J is the mean loss of the round's mini-batches plus the
 * penalty at w_t, |g| the norm of the round's combined change; step 3 applies that change (the L2
 * penalty and clipping act inside the round, on each mini-batch step); checkpoints hold the
 * inner rule's combined state and step count.
 */
public final class TrainingLoop {
  /**
   * Settings of the loop.
   *
   * @param maxIterations stop after this many iterations
   * @param tol stop when |J_t - J_{t-1}| / |J_{t-1}| falls below tol (0: never), or with
   *     noChange > 0 as {@link StoppingRule} says; with L-BFGS it is Breeze's tolerance instead
   * @param l2 L2 penalty alpha on the weights, not the biases (0: none)
   * @param clipNorm clip the gradient to this norm before a step (0: no clipping; not with L-BFGS)
   * @param patience early stopping after this many validation evaluations without an
   *     improvement of more than minDelta (0: no early stopping)
   * @param minDelta the improvement of validation RMSE that counts
   * @param checkpointInterval write a checkpoint every k iterations (when a store is given)
   * @param noChange {@link StoppingRule}'s count of iterations without improvement (0: the
   *     relative-change rule)
   */
  public record Settings(int maxIterations, double tol, double l2, double clipNorm, int patience,
      double minDelta, int checkpointInterval, int noChange) {
    public Settings {
      if (maxIterations < 1 || !(tol >= 0) || !(l2 >= 0) || !(clipNorm >= 0) || patience < 0
          || !(minDelta >= 0) || checkpointInterval < 1 || noChange < 0) {
        throw new IllegalArgumentException("invalid training settings " + this);
      }
    }

    public Settings(int maxIterations, double tol, double l2, double clipNorm, int patience,
        double minDelta, int checkpointInterval) {
      this(maxIterations, tol, l2, clipNorm, patience, minDelta, checkpointInterval, 0);
    }

    /** maxIterations and nothing else. */
    public static Settings iterations(int maxIterations) {
      return new Settings(maxIterations, 0, 0, 0, 0, 0, 1);
    }
  }

  /** Validation RMSE at the weights of iteration t (not modified), or NaN when not computed. */
  public interface Monitor {
    double validationRmse(int t, double[] w);
  }

  /** Hears each iteration as it ends. */
  public interface Listener {
    void iteration(Iteration it, int maxIterations);
  }

  /**
   * The trained weights and how training went; {@code bestIteration} is the iteration whose
   * weights early stopping kept (0 when the last weights are the result).
   */
  public record Result(double[] weights, List<Iteration> history, int iterations, String stopReason,
      int bestIteration, int resumedAfter, int lbfgsHistoryResets) {}

  private TrainingLoop() {}

  /**
   * Trains from w0.
   *
   * @param w0 initial weights (not modified)
   * @param monitor validation RMSE (null: none)
   * @param listener progress (null: none)
   * @param objective J and g (not used by {@link Solver.Local}: may be null then)
   * @param store where checkpoints go (null: none; step and local solvers only)
   * @param resume a checkpoint to continue from (null: start at iteration 1 from w0)
   * @param run what identifies the run; written into checkpoints, compared with resume's
   */
  public static Result train(Objective objective, Network net, double[] w0, Solver solver,
      Settings s, Monitor monitor, Listener listener, Checkpoint.Store store, Checkpoint resume,
      String run) {
    net.checkLength(w0);
    if (solver instanceof Solver.Lbfgs && (store != null || resume != null || s.clipNorm() > 0)) {
      throw new IllegalArgumentException("L-BFGS takes no checkpoints and no gradient clipping");
    }
    Run r = new Run(net, solver, s, monitor, listener, store, run);
    r.start(objective, w0, resume);
    while (true) {
      Result done = r.iterate();
      if (done != null) {
        return done;
      }
    }
  }

  /** One run of the loop: its rules, its history and where it is. */
  private static final class Run {
    private final Network net;
    private final Solver solver;
    private final Settings s;
    private final Monitor monitor;
    private final Listener listener;
    private final Checkpoint.Store store;
    private final String run;
    private final List<Iteration> history = new ArrayList<>();
    private final EarlyStopping early;
    private final StoppingRule stop;
    private final Divergence divergence = new Divergence();
    private Walk walk;
    private int t;
    private int resumedAfter;

    Run(Network net, Solver solver, Settings s, Monitor monitor, Listener listener,
        Checkpoint.Store store, String run) {
      this.net = net;
      this.solver = solver;
      this.s = s;
      this.monitor = monitor;
      this.listener = listener;
      this.store = store;
      this.run = run;
      this.early = s.patience() > 0 ? new EarlyStopping(s.patience(), s.minDelta()) : null;
      this.stop = new StoppingRule(s.maxIterations(),
          solver instanceof Solver.Lbfgs ? 0.0 : s.tol(), s.noChange());
    }

    /** The solver's walk from w0, or from where {@code resume} left off. */
    void start(Objective objective, double[] w0, Checkpoint resume) {
      if (solver instanceof Solver.Lbfgs lbfgs) {
        walk = new LbfgsWalk(objective, net, s, lbfgs, w0);
        return;
      }
      double[] from = resume == null ? w0 : restore(resume);
      walk = solver instanceof Solver.Steps steps
          ? new StepWalk(objective, net, s, steps.rule(), from)
          : new RoundWalk(((Solver.Local) solver).rounds(), net, s, from);
      if (resume != null) {
        walk.restore(resume.optimizerState());
      }
      resumedAfter = t;
    }

    /** Checks that {@code resume} belongs to this run, replays its history; its weights. */
    private double[] restore(Checkpoint resume) {
      if (!resume.run().equals(run)) {
        throw new TrainingFailed(TrainingFailed.Kind.CHECKPOINT_MISMATCH, "the checkpoint in "
            + (store == null ? "the checkpoint directory" : store.location())
            + " was written by a run with other settings, another network or other data ("
            + difference(resume.run(), run) + ")",
            "start without resuming, or with the same settings");
      }
      net.checkLength(resume.weights());
      history.addAll(resume.history());
      for (Iteration it : history) {
        stop.shouldStop(it.iteration(), it.objective());
        divergence.diverged(it.iteration(), it.objective());
      }
      if (early != null && resume.early() != null) {
        early.restore(resume.early()[0], resume.bestWeights(), (int) resume.early()[1],
            (int) resume.early()[2]);
      }
      t = resume.iteration();
      return resume.weights();
    }

    /** Iteration t + 1: the result when it ends the run, else null. */
    Result iterate() {
      t++;
      int max = s.maxIterations();
      long start = System.nanoTime();
      Point p = walk.point(t, "train iteration " + t + "/" + max);
      double val = Double.NaN;
      boolean earlyStop = false;
      if (p.rows() > 0) {
        val = monitor == null ? Double.NaN : monitor.validationRmse(t, p.w());
        earlyStop = early != null && !Double.isNaN(val) && early.update(t, val, p.w());
      }
      walk.advance(t, p);
      Iteration it = new Iteration(t, p.objective(), p.gradientNorm(),
          (System.nanoTime() - start) / 1e9, val);
      history.add(it);
      if (listener != null) {
        listener.iteration(it, max);
      }
      failIfDiverged(p.objective());
      String reason = stopReason(p, earlyStop);
      if (reason != null) {
        boolean best = early != null && early.bestWeights() != null;
        return new Result(best ? early.bestWeights() : walk.weights(), List.copyOf(history), t,
            reason, best ? early.bestIteration() : 0, resumedAfter, walk.resets());
      }
      if (store != null && t % s.checkpointInterval() == 0) {
        store.write(new Checkpoint(run, t, walk.weights(), walk.state(), List.copyOf(history),
            early == null ? null : new double[] {early.best(), early.bestIteration(),
                early.badEvaluations()},
            early == null ? null : early.bestWeights()));
      }
      return null;
    }

    private void failIfDiverged(double objective) {
      if (divergence.diverged(t, objective)) {
        double lr = solver instanceof Solver.Steps steps ? steps.rule().stepSize()
            : solver instanceof Solver.Local local ? local.rounds().stepSize() : Double.NaN;
        throw new TrainingFailed(TrainingFailed.Kind.DIVERGED, "training diverged at iteration "
            + t + ": " + divergence.reason() + (Double.isNaN(lr) ? "" : ", with stepSize " + lr),
            "a smaller stepSize may help");
      }
    }

    /** Why the run ends after this iteration (early stopping, the stopping rule, L-BFGS), or null. */
    private String stopReason(Point p, boolean earlyStop) {
      boolean done = p.rows() > 0 ? stop.shouldStop(t, p.objective()) : t >= s.maxIterations();
      if (earlyStop) {
        return "early stopping: validation RMSE did not improve by more than " + s.minDelta()
            + " in " + s.patience() + " evaluations; best " + early.best() + " at iteration "
            + early.bestIteration();
      } else if (done) {
        return p.rows() > 0 ? stop.reason()
            : "reached the maximum of " + s.maxIterations() + " iterations";
      }
      return walk.converged();
    }
  }

  /** The first setting that differs between two run descriptions "k=v;k=v;...", for messages. */
  static String difference(String was, String now) {
    String[] a = was.split(";");
    String[] b = now.split(";");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (!a[i].equals(b[i])) {
        return "was " + a[i] + ", now " + b[i];
      }
    }
    return a.length == b.length ? "same settings" : "was " + a.length + " settings, now " + b.length;
  }

  /**
   * J and g at w with the L2 penalty, checked finite: the one place where a run diverges.
   *
   * @param what "iteration 7" or "L-BFGS evaluation 12", for the message
   */
  static Objective.Value penalized(Objective f, Network net, double l2, double[] w, int t,
      String description, String what) {
    Objective.Value v = f.evaluate(w, t, description);
    if (v.rows() == 0) {
      return v;
    }
    double[] g = v.gradient();
    double j = v.objective() + L2.apply(net, l2, w, g);
    double norm = norm(g);
    if (!Double.isFinite(j) || !Double.isFinite(norm)) {
      throw new TrainingFailed(TrainingFailed.Kind.DIVERGED, "training diverged at " + what
          + ": the objective is not finite (" + j + ", gradient norm " + norm + ")",
          "a smaller stepSize, standardized features and label, or clipNorm may help");
    }
    return new Objective.Value(j, g, v.rows());
  }

  static double norm(double[] g) {
    double s = 0.0;
    for (double v : g) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** The weights w_t of an iteration, J and g there (g may be modified by the walk). */
  record Point(double[] w, double objective, double[] gradient, double gradientNorm, long rows) {}

  /** A solver's path through weight space. */
  private interface Walk {
    /** The current point, evaluated. */
    Point point(int t, String description);

    /** Moves on from {@code p}. */
    void advance(int t, Point p);

    /** The current weights (after the last move). */
    double[] weights();

    /** Why the solver stopped by itself, or null. */
    String converged();

    /** How often L-BFGS threw its history away after a failed line search (0 for steps). */
    default int resets() {
      return 0;
    }

    /** The solver's state for a checkpoint (step and local solvers). */
    default double[][] state() {
      throw new UnsupportedOperationException("no checkpoints");
    }

    /** Restores what {@link #state()} returned. */
    default void restore(double[][] state) {
      throw new UnsupportedOperationException("no checkpoints");
    }
  }

  /** gd, sgd, momentum, Adam: one evaluation and one step per iteration. */
  private static final class StepWalk implements Walk {
    private final Objective f;
    private final Network net;
    private final Settings s;
    private final UpdateRule rule;
    private final double[] w;

    StepWalk(Objective f, Network net, Settings s, UpdateRule rule, double[] w0) {
      this.f = f;
      this.net = net;
      this.s = s;
      this.rule = rule;
      this.w = w0.clone();
    }

    @Override public Point point(int t, String description) {
      Objective.Value v = penalized(f, net, s.l2(), w, t, description, "iteration " + t);
      return new Point(w, v.objective(), v.gradient(), v.rows() == 0 ? Double.NaN
          : norm(v.gradient()), v.rows());
    }

    @Override public void advance(int t, Point p) {
      if (p.rows() == 0) {
        return; // an empty mini-batch: no step
      }
      Clipping.clip(p.gradient(), s.clipNorm());
      rule.step(w, p.gradient(), t);
      if (!Double.isFinite(norm(w))) {
        throw new TrainingFailed(TrainingFailed.Kind.DIVERGED, "training diverged at iteration "
            + t + ": the step made the weights non-finite", "a smaller stepSize may help");
      }
    }

    @Override public double[] weights() {
      return w.clone();
    }

    @Override public String converged() {
      return null;
    }

    @Override public double[][] state() {
      return rule.state();
    }

    @Override public void restore(double[][] state) {
      rule.restore(state);
    }
  }

  /**
   * Local steps: point() runs round t from w_t (the round's mini-batch steps apply the L2 penalty
   * and clipping themselves), advance() moves to w_t + change. State: the inner rule's combined
   * state and its step count; a checkpoint holds {steps} followed by the state's arrays.
   */
  private static final class RoundWalk implements Walk {
    private final Rounds rounds;
    private final Network net;
    private final Settings s;
    private final double[] w;
    private double[][] state = new double[0][];
    private long steps;
    private Rounds.Round round;

    RoundWalk(Rounds rounds, Network net, Settings s, double[] w0) {
      this.rounds = rounds;
      this.net = net;
      this.s = s;
      this.w = w0.clone();
    }

    @Override public Point point(int t, String description) {
      round = rounds.run(w, state, steps, t, description);
      double j = round.loss() + L2.penalty(net, s.l2(), w);
      double norm = norm(round.change());
      if (!Double.isFinite(j) || !Double.isFinite(norm)) {
        throw new TrainingFailed(TrainingFailed.Kind.DIVERGED, "training diverged in round " + t
            + ": the objective is not finite (" + j + ", change norm " + norm + ")",
            "a smaller stepSize, standardized features and label, or clipNorm may help");
      }
      return new Point(w, j, round.change(), norm, round.rows());
    }

    @Override public void advance(int t, Point p) {
      double[] change = round.change();
      for (int i = 0; i < w.length; i++) {
        w[i] += change[i];
      }
      state = round.state();
      steps += round.steps();
      round = null;
    }

    @Override public double[] weights() {
      return w.clone();
    }

    @Override public String converged() {
      return null;
    }

    @Override public double[][] state() {
      double[][] out = new double[state.length + 1][];
      out[0] = new double[] {steps};
      for (int i = 0; i < state.length; i++) {
        out[i + 1] = state[i].clone();
      }
      return out;
    }

    @Override public void restore(double[][] saved) {
      steps = (long) saved[0][0];
      state = new double[saved.length - 1][];
      for (int i = 1; i < saved.length; i++) {
        state[i - 1] = saved[i].clone();
      }
    }
  }

  /**
   * Breeze's L-BFGS (we do not write our own): its states are the iterates; moving to the next
   * one runs its line search, each evaluation one call of the objective. A Java lambda is the
   * DiffFunction (a Java class cannot implement it), wrapped in Breeze's cache so that a point
   * evaluated twice costs one pass. When a line search fails, Breeze throws its curvature
   * history away and yields the same point again (same iteration number) to start afresh; a
   * second failure in a row ends the run (searchFailed). Those restarts are counted
   * ({@link #resets()}); Breeze's own words for them go to its log at INFO, not ERROR
   * ({@link QuietLbfgs}): they are routine, and the count and the stop reason report them.
   */
  private static final class LbfgsWalk implements Walk {
    private final scala.collection.Iterator<FirstOrderMinimizer.State<DenseVector<Object>, Object, Object>> states;
    private FirstOrderMinimizer.State<DenseVector<Object>, Object, Object> state;
    private String converged;
    private int evaluations;
    private int resets;

    LbfgsWalk(Objective f, Network net, Settings s, Solver.Lbfgs solver, double[] w0) {
      int[] t = {1};
      DiffFunction<DenseVector<Object>> df = x -> {
        evaluations++;
        Objective.Value v = penalized(f, net, s.l2(), toArray(x), t[0],
            "train L-BFGS evaluation " + evaluations, "L-BFGS evaluation " + evaluations);
        return new Tuple2<>(v.objective(), new DenseVector$mcD$sp(v.gradient()));
      };
      LBFGS<DenseVector<Object>> lbfgs = new QuietLbfgs<>(s.maxIterations(), solver.memory(),
          solver.tolerance(), DenseVector.space_Double());
      states = lbfgs.iterations(df.cached(DenseVector.canCopyDenseVector(ClassTag.Double())),
          new DenseVector$mcD$sp(w0.clone()));
      state = states.next();
    }

    @Override public Point point(int t, String description) {
      double[] g = toArray(state.grad()).clone();
      return new Point(toArray(state.x()), state.value(), g, norm(g), 1);
    }

    @Override public void advance(int t, Point p) {
      if (!states.hasNext()) {
        converged = reason();
        return;
      }
      int before = state.iter();
      state = states.next();
      if (state.iter() == before && !state.searchFailed()) {
        resets++;
      }
      if (!states.hasNext()) {
        converged = reason();
      }
    }

    @Override public int resets() {
      return resets;
    }

    private String reason() {
      return (state.convergenceReason().isDefined()
          ? "L-BFGS: " + state.convergenceReason().get().reason()
          : state.searchFailed() ? "L-BFGS: line search failed" : "L-BFGS: finished")
          + " after " + evaluations + " evaluations"
          + (resets == 0 ? "" : " and " + resets + " restart" + (resets == 1 ? "" : "s")
              + " after a failed line search");
    }

    @Override public double[] weights() {
      return toArray(state.x()).clone();
    }

    @Override public String converged() {
      return converged;
    }

    private static double[] toArray(DenseVector<Object> v) {
      double[] d = v.data$mcD$sp();
      if (v.offset() == 0 && v.stride() == 1 && v.length() == d.length) {
        return d;
      }
      double[] out = new double[v.length()];
      for (int i = 0; i < out.length; i++) {
        out[i] = d[v.offset() + i * v.stride()];
      }
      return out;
    }
  }

  /**
   * Breeze's L-BFGS with its log's errors and warnings told at INFO, under Breeze's own logger
   * name ({@code breeze.optimize.LBFGS}): "Failure! Resetting history" is a restart it recovers
   * from, and "Failure again! Giving up" ends the run with a stop reason that says so; neither is
   * an error of the user's program. This holds whatever the user's logging configuration.
   */
  static final class QuietLbfgs<T> extends LBFGS<T> {
    private static final long serialVersionUID = 1L;
    private transient LazyLogger log;

    QuietLbfgs(int maxIter, int m, double tolerance,
        breeze.math.MutableInnerProductModule<T, Object> space) {
      super(maxIter, m, tolerance, space);
    }

    @Override public LazyLogger logger() {
      if (log == null) {
        log = new InfoLogger(LoggerFactory.getLogger(LBFGS.class));
      }
      return log;
    }
  }

  /** A Breeze logger whose error and warn are info. */
  private static final class InfoLogger extends LazyLogger {
    private static final long serialVersionUID = 1L;

    InfoLogger(org.slf4j.Logger logger) {
      super(logger);
    }

    @Override public void error(Function0<String> msg) {
      info(msg);
    }

    @Override public void warn(Function0<String> msg) {
      info(msg);
    }

    @Override public void error(Function0<String> msg, Throwable t) {
      info(msg, t);
    }

    @Override public void warn(Function0<String> msg, Throwable t) {
      info(msg, t);
    }
  }
}
