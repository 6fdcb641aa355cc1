package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.optim.Adam;
import io.sparkbackprop.optim.GradientDescent;
import io.sparkbackprop.optim.LearningRate;
import io.sparkbackprop.optim.Momentum;
import io.sparkbackprop.optim.Solver;
import io.sparkbackprop.optim.TrainingLoop;
import io.sparkbackprop.optim.UpdateRule;
import io.sparkbackprop.spark.ContentSplit;
import io.sparkbackprop.spark.LocalRounds;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.Param;

/**
 * The Params resolved into what training runs, checked together (each Param's own range is
 * checked when it is set). Messages name the Params.
 */
record Plan(Network network, double[] initialWeights, Solver solver,
    LocalRounds.Settings local, TrainingLoop.Settings settings, ContentSplit split,
    String describe) {

  /** The same plan with the L2 penalty alpha (regParam as training resolved it). */
  Plan withL2(double l2) {
    TrainingLoop.Settings s = settings;
    if (l2 == s.l2()) {
      return this;
    }
    TrainingLoop.Settings with = new TrainingLoop.Settings(s.maxIterations(), s.tol(), l2,
        s.clipNorm(), s.patience(), s.minDelta(), s.checkpointInterval(), s.noChange());
    LocalRounds.Settings l = local == null ? null : new LocalRounds.Settings(local.inner(),
        local.batchSize(), local.localSteps(), l2, local.clipNorm(), local.seed());
    return new Plan(network, initialWeights, solver, l, with, split, describe + ", regParam "
        + String.format("%.3g", l2) + " (5 / training rows)");
  }

  static Plan of(MultilayerPerceptronRegressor e) {
    if (!e.isDefined(e.layers())) {
      throw new IllegalArgumentException("layers is not set: give every width, input first and"
          + " output last (1, or the label vector's length), e.g. [10, 16, 1]");
    }
    Network net = Fit.network(e.getLayers(), e.getHiddenActivation(), e.getOutputActivation());
    refuseLbfgsParams(e);
    refuseCrossParams(e);
    double[] w0 = initialWeights(e, net);
    TrainingLoop.Settings settings = new TrainingLoop.Settings(e.getMaxIter(), e.getTol(),
        e.getRegParam(), e.getClipNorm(), e.getPatience(), e.getMinDelta(),
        e.getCheckpointInterval(), e.getNIterNoChange());
    String solver = e.getSolver();
    Solver s = null;
    LocalRounds.Settings localSettings = null;
    String describe;
    if (e.isLocalSolver()) {
      localSettings = localSettings(e);
      describe = "local " + localSettings.inner().make().describe() + ", batch "
          + e.getBatchSize() + ", " + (e.getLocalSteps() == 0 ? "one local epoch"
          : e.getLocalSteps() + " local steps") + " per round, partitions averaged"
          + (e.getTol() > 0 ? ", stop after " + e.getNIterNoChange() + " rounds without"
          + " improvement (tol " + e.getTol() + ")" : "");
    } else if (solver.equals("l-bfgs")) {
      s = new Solver.Lbfgs(e.getLbfgsMemory(), e.getTol());
      describe = "l-bfgs(memory=" + e.getLbfgsMemory() + ", tol=" + e.getTol() + "), full batch";
    } else {
      UpdateRule rule = rule(e);
      s = new Solver.Steps(rule);
      describe = rule.describe() + (e.getMiniBatchFraction() < 1
          ? ", mini-batch fraction " + e.getMiniBatchFraction() : ", full batch");
    }
    describe = solver + ": " + describe
        + (e.getRegParam() > 0 ? ", regParam " + e.getRegParam() : "")
        + (e.getClipNorm() > 0 ? ", clipNorm " + e.getClipNorm() : "")
        + (e.getPatience() > 0 ? ", early stopping patience " + e.getPatience() + " minDelta "
            + e.getMinDelta() : "");
    ContentSplit split = e.getValidationFraction() > 0
        ? new ContentSplit(e.getSplitSeed(), e.getValidationFraction()) : null;
    return new Plan(net, w0, s, localSettings, settings, split, describe);
  }

  /** The Params solver l-bfgs does not use, refused when set (one message naming them all). */
  private static void refuseLbfgsParams(MultilayerPerceptronRegressor e) {
    if (!e.getSolver().equals("l-bfgs")) {
      return;
    }
    List<String> wrong = new ArrayList<>();
    for (Param<?> p : List.of(e.stepSize(), e.checkpointDir(), e.miniBatchFraction())) {
      if (e.isSet(p)) {
        wrong.add(p.name());
      }
    }
    if (e.getClipNorm() > 0) {
      wrong.add("clipNorm");
    }
    if (e.getResume()) {
      wrong.add("resume");
    }
    if (!e.getLearningRateSchedule().equals("constant")) {
      wrong.add("learningRateSchedule");
    }
    if (!wrong.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", wrong) + (wrong.size() > 1 ? " are"
          : " is") + " not used by solver l-bfgs (it takes full steps of its own, on every row,"
          + " with no checkpoints); leave " + (wrong.size() > 1 ? "them" : "it") + " unset");
    }
  }

  /** Params that do not go together (each Param's own range is checked when it is set). */
  private static void refuseCrossParams(MultilayerPerceptronRegressor e) {
    String solver = e.getSolver();
    if ((e.getMomentum() > 0 || e.getNesterov()) && !(solver.equals("gd")
        || solver.equals("sgd") || solver.equals("local-sgd"))) {
      throw new IllegalArgumentException("momentum and nesterov are for solvers gd, sgd and"
          + " local-sgd, not " + solver);
    }
    if (e.isLocalSolver() && e.isSet(e.miniBatchFraction())) {
      throw new IllegalArgumentException("miniBatchFraction is for solvers sgd and adam; "
          + solver + " takes mini-batches of batchSize rows");
    }
    if (e.getNesterov() && e.getMomentum() == 0) {
      throw new IllegalArgumentException("nesterov needs momentum > 0");
    }
    if (e.getMiniBatchFraction() < 1 && solver.equals("gd")) {
      throw new IllegalArgumentException("miniBatchFraction is for solvers sgd and adam; gd uses"
          + " every row (use solver sgd)");
    }
    if (e.getValidationIndicatorCol() != null && e.getValidationFraction() > 0) {
      throw new IllegalArgumentException("set validationIndicatorCol or validationFraction, not"
          + " both");
    }
    boolean validation = e.getValidationIndicatorCol() != null || e.getValidationFraction() > 0;
    if (e.getPatience() > 0 && !validation) {
      throw new IllegalArgumentException("patience needs validation rows (validationFraction or"
          + " validationIndicatorCol)");
    }
    if (e.getResume() && e.getCheckpointDir() == null) {
      throw new IllegalArgumentException("resume needs checkpointDir");
    }
  }

  /** initialWeights when set (their length checked), else seeded by seed. */
  private static double[] initialWeights(MultilayerPerceptronRegressor e, Network net) {
    if (e.getInitialWeights() == null) {
      return net.initialWeights(e.getSeed());
    }
    double[] w0 = e.getInitialWeights().toArray();
    if (w0.length != net.size()) {
      throw new IllegalArgumentException("initialWeights has " + w0.length + " values; layers "
          + Network.joinWidths(net.widths(), ",") + " need " + net.size());
    }
    return w0;
  }

  /** local-adam / local-sgd: the inner rule of every partition and the rounds' settings. */
  private static LocalRounds.Settings localSettings(MultilayerPerceptronRegressor e) {
    return new LocalRounds.Settings(new LocalRounds.Inner(
        e.getSolver().substring("local-".length()), e.getLearningRateSchedule(), e.getStepSize(),
        e.getPowerT(), e.getDecayFactor(), e.getDecayEvery(), e.getBeta1(), e.getBeta2(),
        e.getEpsilon(), e.getMomentum(), e.getNesterov()), e.getBatchSize(),
        e.getLocalSteps(), e.getRegParam(), e.getClipNorm(), e.getSeed());
  }

  /** A new update rule (new state) for one run. */
  private static UpdateRule rule(MultilayerPerceptronRegressor e) {
    LearningRate lr = new LearningRate(e.getLearningRateSchedule(), e.getStepSize(),
        e.getPowerT(), e.getDecayFactor(), e.getDecayEvery());
    if (e.getSolver().equals("adam")) {
      return new Adam(lr, e.getBeta1(), e.getBeta2(), e.getEpsilon());
    }
    return e.getMomentum() > 0 ? new Momentum(lr, e.getMomentum(), e.getNesterov())
        : new GradientDescent(lr);
  }
}
