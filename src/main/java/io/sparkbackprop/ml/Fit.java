package io.sparkbackprop.ml;

import io.sparkbackprop.io.CheckpointFiles;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Blas;
import io.sparkbackprop.nn.ElementWise;
import io.sparkbackprop.nn.Metrics;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.optim.Adam;
import io.sparkbackprop.optim.Checkpoint;
import io.sparkbackprop.optim.GradientDescent;
import io.sparkbackprop.optim.L2;
import io.sparkbackprop.optim.LearningRate;
import io.sparkbackprop.optim.Momentum;
import io.sparkbackprop.optim.Solver;
import io.sparkbackprop.optim.TrainingLoop;
import io.sparkbackprop.optim.UpdateRule;
import io.sparkbackprop.spark.BlockData;
import io.sparkbackprop.spark.Combine;
import io.sparkbackprop.spark.ContentSplit;
import io.sparkbackprop.spark.DistributedObjective;
import io.sparkbackprop.spark.Evaluation;
import io.sparkbackprop.spark.LocalRounds;
import io.sparkbackprop.spark.Scorer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

/**
 * One fit, from a Dataset to a model: the flow a reader can follow in one sitting.
 * <ol>
 *   <li>the Params are resolved and checked together ({@link Plan});</li>
 *   <li>the Dataset becomes cached, standardized blocks ({@link BlockData}: one check of the data,
 *       the validation rows split off);</li>
 *   <li>the training loop ({@link TrainingLoop}): per iteration the weights are broadcast, every
 *       partition backprops its blocks and sums, the sums are combined in a tree, the driver
 *       divides by n once and steps;</li>
 *   <li>final metrics on the training and validation blocks, the summary, the model;</li>
 *   <li>the blocks are unpersisted, also when anything above fails.</li>
 * </ol>
 */
final class Fit {
  private static final Logger LOG = LogManager.getLogger(MultilayerPerceptronRegressor.class);

  /** Params that do not change the arithmetic: left out of the fingerprint resume checks. */
  private static final Set<String> NOT_ARITHMETIC = Set.of("maxIter", "checkpointDir",
      "checkpointInterval", "resume", "predictionCol", "storageLevel", "featuresCol", "labelCol",
      "validationIndicatorCol");

  private Fit() {}

  static MultilayerPerceptronRegressionModel run(MultilayerPerceptronRegressor est,
      Dataset<?> df, TrainingListener listener) {
    Plan planned = Plan.of(est);
    Kernels.configured(); // a bad -Dsparkbackprop.kernel is refused here, not in every task
    Network net = planned.network();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    BlockData.Spec spec = spec(est, net, planned.split(), partitions(est, sc));
    CheckpointFiles store = est.getCheckpointDir() == null ? null
        : new CheckpointFiles(est.getCheckpointDir(), sc.hadoopConfiguration());
    if (store != null) {
      store.checkWritable();
    }
    try (BlockData.Loaded data = BlockData.load(df, spec)) {
      Plan plan = planned.withL2(est.regParamFor(data.trainingRows()));
      data.warnings().forEach(LOG::warn);
      Checkpoint resume = est.getResume() ? store.read() : null;
      if (est.getResume() && resume == null) {
        LOG.info("no checkpoint in {}: starting from iteration 1", store.location());
      }
      long cached = BlockData.cachedBytes(data.training());
      TrainingStart start = new TrainingStart(net.toString(), net.size(), plan.describe(),
          est.getMaxIter(), data.trainingRows(), data.validationRows(), data.invalidRows(),
          net.inputWidth(), data.featureNames(), data.training().getNumPartitions(),
          spec.blockSize(), cached, resume == null ? 0 : resume.iteration(), data.warnings(),
          Blas.description(), ElementWise.get().name());
      LOG.info("training {} ({} weights) on {} rows ({} validation), {}", start.network(),
          start.weights(), start.trainingRows(), start.validationRows(), start.solver());
      if (listener != null) {
        listener.onStart(start);
      }

      DistributedObjective objective = new DistributedObjective(sc, data.training(), net,
          est.getAggregationDepth(), Combine.parse(est.getCombineMode()),
          est.getMiniBatchFraction(), est.getSeed(), spec.precision());
      TrainingLoop.Monitor monitor = null;
      if (data.validation() != null) {
        int every = est.getEvalEvery();
        monitor = (t, w) -> t == 1 || t % every == 0
            ? Evaluation.onBlocks(sc, data.validation(), new Scorer(net, w, data.scaling()),
                "train: validation at iteration " + t).rmse()
            : Double.NaN;
      }
      TrainingLoop.Listener progress = (it, max) -> {
        LOG.debug("iteration {}/{} objective {} |g| {} {} s validation RMSE {}", it.iteration(),
            max, it.objective(), it.gradientNorm(), it.seconds(), it.validationRmse());
        if (listener != null) {
          listener.onIteration(it, max);
        }
      };
      SortedMap<String, String> params = resolvedParams(est, plan);
      String run = fingerprint(params, net, data);
      long t0 = System.nanoTime();
      Solver solver = plan.local() == null ? plan.solver()
          : new Solver.Local(new LocalRounds(sc, data.training(), net, est.getAggregationDepth(),
              Combine.parse(est.getCombineMode()), plan.local()));
      TrainingLoop.Result r = TrainingLoop.train(objective, net, plan.initialWeights(),
          solver, plan.settings(), monitor, progress, store, resume, run);
      double seconds = (System.nanoTime() - t0) / 1e9;

      Scorer fin = new Scorer(net, r.weights(), data.scaling());
      List<Metrics> train = Evaluation.perOutput(sc, data.training(), fin,
          "train: final training metrics");
      List<Metrics> val = data.validation() == null ? null
          : Evaluation.perOutput(sc, data.validation(), fin, "train: final validation metrics");
      // J at the final weights from the same pass: the per-row (weighted) sum over outputs of the
      // squared error on the standardized labels (the metrics are in label units), divided by the
      // weight sum, plus the penalty.
      double finalObjective = 0;
      for (int k = 0; k < train.size(); k++) {
        double ls = data.scaling().labelScales()[k];
        finalObjective += train.get(k).sse() / train.get(k).weight() / (ls * ls);
      }
      finalObjective += L2.penalty(net, plan.settings().l2(), r.weights());
      TrainingSummary summary = new TrainingSummary(r.history(), r.iterations(), r.stopReason(),
          r.bestIteration(), finalObjective, RegressionMetrics.of(train, 0),
          val == null ? null : RegressionMetrics.of(val, 0), data.trainingRows(),
          data.validationRows(), data.invalidRows(), seconds, cached, data.warnings(),
          new TrainingSummary.Provenance(params, SavedModel.projectVersion(),
              df.sparkSession().version(), System.getProperty("java.version"), sc.master(),
              Blas.description(), ElementWise.get().name(), Instant.now().toString(), r.resumedAfter()),
          r.lbfgsHistoryResets());
      LOG.info("stopped: {}; training RMSE {}{}", r.stopReason(), summary.training().rmse(),
          val == null ? "" : ", validation RMSE " + summary.validation().rmse());
      if (listener != null) {
        listener.onEnd(summary);
      }
      return new MultilayerPerceptronRegressionModel(est.uid(), net, r.weights(),
          data.scaling(), data.featureNames(), net.outputWidth() == 1 ? List.of()
          : data.outputNames(), summary).withTrainingFiles(trainingFiles(df));
    }
  }

  /** The files {@code df} reads (Spark's best effort: none for data made in memory). */
  private static List<String> trainingFiles(Dataset<?> df) {
    try {
      return List.of(df.inputFiles());
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** What to read into blocks, from the estimator's Params. */
  private static BlockData.Spec spec(MultilayerPerceptronRegressor est, Network net,
      ContentSplit split, int partitions) {
    return BlockData.Spec.builder(est.getFeaturesCol(), est.getLabelCol(), net.inputWidth(),
            est.getBlockSize())
        .indicatorCol(est.getValidationIndicatorCol()).split(split).partitions(partitions)
        .standardize(est.getStandardization(), est.getStandardizeLabel())
        .storage(StorageLevel.fromString(est.getStorageLevel()))
        .skipInvalid(est.getHandleInvalid().equals("skip"))
        .precision(Precision.of(est.getPrecision())).weightCol(est.getWeightCol())
        .outputs(net.outputWidth()).build();
  }

  /**
   * numPartitions, except that local-adam and local-sgd with numPartitions 0 deal the rows out to
   * one partition per core Spark reports: each partition is one share of the averaging, and the
   * fewer the shares the closer a round is to one model over all the rows; dealing them out also
   * keeps a table sorted by the label from giving each share a slice of its range.
   */
  static int partitions(MultilayerPerceptronRegressor est, JavaSparkContext sc) {
    return est.getNumPartitions() == 0 && est.isLocalSolver()
        ? Math.max(1, sc.defaultParallelism()) : est.getNumPartitions();
  }

  /** Every Param with a value, by name, JSON-encoded; optional ones as training resolved them. */
  static SortedMap<String, String> resolvedParams(MultilayerPerceptronRegressor est, Plan plan) {
    SortedMap<String, String> out = new TreeMap<>();
    for (ParamPair<?> p : scala.jdk.javaapi.CollectionConverters.asJava(
        est.extractParamMap().toSeq())) {
      out.put(p.param().name(), encode(p));
    }
    out.put("solver", est.solver().jsonEncode(est.getSolver()));
    out.put("stepSize", est.stepSize().jsonEncode(est.getStepSize()));
    out.put("blockSize", est.blockSize().jsonEncode(est.getBlockSize()));
    out.put("miniBatchFraction", est.miniBatchFraction().jsonEncode(est.getMiniBatchFraction()));
    out.put("splitSeed", est.splitSeed().jsonEncode(est.getSplitSeed()));
    out.put("tol", est.tol().jsonEncode(est.getTol()));
    out.put("regParam", est.regParam().jsonEncode(plan.settings().l2()));
    out.put("nIterNoChange", est.nIterNoChange().jsonEncode(est.getNIterNoChange()));
    out.put("network", est.solver().jsonEncode(plan.network().toString()));
    return Collections.unmodifiableSortedMap(out);
  }

  @SuppressWarnings("unchecked")
  private static String encode(ParamPair<?> p) {
    return ((Param<Object>) p.param()).jsonEncode(p.value());
  }

  /** The settings that change the arithmetic, and the data's size and hash: "k=v;k=v;...". */
  private static String fingerprint(Map<String, String> params, Network net, BlockData.Loaded d) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> {
      if (!NOT_ARITHMETIC.contains(k)) {
        sb.append(k).append('=').append(v).append(';');
      }
    });
    sb.append("rows=").append(d.trainingRows()).append('+').append(d.validationRows())
        .append(";partitions=").append(d.training().getNumPartitions())
        .append(";data=").append(Long.toHexString(d.fingerprint()));
    return sb.toString();
  }

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
      String solver = e.getSolver();
      boolean lbfgs = solver.equals("l-bfgs");
      List<String> wrong = new ArrayList<>();
      if (lbfgs) {
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
      }
      if (!wrong.isEmpty()) {
        throw new IllegalArgumentException(String.join(", ", wrong) + (wrong.size() > 1 ? " are"
            : " is") + " not used by solver l-bfgs (it takes full steps of its own, on every row,"
            + " with no checkpoints); leave " + (wrong.size() > 1 ? "them" : "it") + " unset");
      }
      if ((e.getMomentum() > 0 || e.getNesterov()) && !(solver.equals("gd")
          || solver.equals("sgd") || solver.equals("local-sgd"))) {
        throw new IllegalArgumentException("momentum and nesterov are for solvers gd, sgd and"
            + " local-sgd, not " + solver);
      }
      boolean local = e.isLocalSolver();
      if (local && e.isSet(e.miniBatchFraction())) {
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
      double[] w0;
      if (e.getInitialWeights() != null) {
        w0 = e.getInitialWeights().toArray();
        if (w0.length != net.size()) {
          throw new IllegalArgumentException("initialWeights has " + w0.length + " values; layers "
              + Network.joinWidths(net.widths(), ",") + " need " + net.size());
        }
      } else {
        w0 = net.initialWeights(e.getSeed());
      }
      TrainingLoop.Settings settings = new TrainingLoop.Settings(e.getMaxIter(), e.getTol(),
          e.getRegParam(), e.getClipNorm(), e.getPatience(), e.getMinDelta(),
          e.getCheckpointInterval(), e.getNIterNoChange());
      Solver s = null;
      LocalRounds.Settings localSettings = null;
      String describe;
      if (local) {
        localSettings = new LocalRounds.Settings(new LocalRounds.Inner(
            solver.substring("local-".length()), e.getLearningRateSchedule(), e.getStepSize(),
            e.getPowerT(), e.getDecayFactor(), e.getDecayEvery(), e.getBeta1(), e.getBeta2(),
            e.getEpsilon(), e.getMomentum(), e.getNesterov()), e.getBatchSize(),
            e.getLocalSteps(), e.getRegParam(), e.getClipNorm(), e.getSeed());
        describe = "local " + localSettings.inner().make().describe() + ", batch "
            + e.getBatchSize() + ", " + (e.getLocalSteps() == 0 ? "one local epoch"
            : e.getLocalSteps() + " local steps") + " per round, partitions averaged"
            + (e.getTol() > 0 ? ", stop after " + e.getNIterNoChange() + " rounds without"
            + " improvement (tol " + e.getTol() + ")" : "");
      } else if (lbfgs) {
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

  /**
   * The network of {@code widths}: the hidden layers take {@code hidden} (one name, or one per
   * hidden layer separated by commas), the output layer {@code output}.
   */
  static Network network(int[] widths, String hidden, String output) {
    int layers = widths.length - 1;
    String[] names = hidden.split(",");
    if (names.length != 1 && names.length != layers - 1) {
      throw new IllegalArgumentException("hiddenActivation names " + names.length
          + " activations; layers " + Network.joinWidths(widths, ",") + " have " + (layers - 1)
          + " hidden layers");
    }
    Activation[] acts = new Activation[layers];
    for (int i = 0; i < layers - 1; i++) {
      acts[i] = Activation.parse(names[names.length == 1 ? 0 : i]);
    }
    acts[layers - 1] = Activation.parse(output);
    return Network.of(widths, acts);
  }
}
