package io.sparkbackprop.ml;

import io.sparkbackprop.io.CheckpointFiles;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.blas.Blas;
import io.sparkbackprop.nn.ElementWise;
import io.sparkbackprop.nn.Metrics;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.optim.Checkpoint;
import io.sparkbackprop.optim.L2;
import io.sparkbackprop.optim.Solver;
import io.sparkbackprop.optim.TrainingLoop;
import io.sparkbackprop.spark.BlockData;
import io.sparkbackprop.spark.Combine;
import io.sparkbackprop.spark.ContentSplit;
import io.sparkbackprop.spark.DistributedObjective;
import io.sparkbackprop.spark.Evaluation;
import io.sparkbackprop.spark.LocalRounds;
import io.sparkbackprop.spark.Scorer;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaSparkContext;
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
      TrainingStart start = TrainingStart.of(net, plan.describe(), est.getMaxIter(), data,
          spec.blockSize(), cached, resume == null ? 0 : resume.iteration());
      LOG.info("training {} ({} weights) on {} rows ({} validation), {}", start.network(),
          start.weights(), start.trainingRows(), start.validationRows(), start.solver());
      if (listener != null) {
        listener.onStart(start);
      }
      DistributedObjective objective = new DistributedObjective(sc, data.training(), net,
          est.getAggregationDepth(), Combine.parse(est.getCombineMode()),
          est.getMiniBatchFraction(), est.getSeed(), spec.precision());
      TrainingLoop.Monitor monitor = monitor(est, sc, data, net);
      SortedMap<String, String> params = RunFingerprint.resolvedParams(est, plan);
      String run = RunFingerprint.of(params, net, data);
      long t0 = System.nanoTime();
      Solver solver = plan.local() == null ? plan.solver()
          : new Solver.Local(new LocalRounds(sc, data.training(), net, est.getAggregationDepth(),
              Combine.parse(est.getCombineMode()), plan.local()));
      TrainingLoop.Result r = TrainingLoop.train(objective, net, plan.initialWeights(),
          solver, plan.settings(), monitor, progress(listener), store, resume, run);
      double seconds = (System.nanoTime() - t0) / 1e9;
      TrainingSummary summary = summarize(sc, df, data, net, plan, r, seconds, cached, params);
      LOG.info("stopped: {}; training RMSE {}{}", r.stopReason(), summary.training().rmse(),
          summary.validation() == null ? "" : ", validation RMSE " + summary.validation().rmse());
      if (listener != null) {
        listener.onEnd(summary);
      }
      return new MultilayerPerceptronRegressionModel(est.uid(), net, r.weights(),
          data.scaling(), data.featureNames(), net.outputWidth() == 1 ? List.of()
          : data.outputNames(), summary).withTrainingFiles(trainingFiles(df));
    }
  }

  /** Validation RMSE at iteration 1 and every evalEvery-th, when there are validation rows. */
  private static TrainingLoop.Monitor monitor(MultilayerPerceptronRegressor est,
      JavaSparkContext sc, BlockData.Loaded data, Network net) {
    if (data.validation() == null) {
      return null;
    }
    int every = est.getEvalEvery();
    return (t, w) -> t == 1 || t % every == 0
        ? Evaluation.onBlocks(sc, data.validation(), new Scorer(net, w, data.scaling()),
            "train: validation at iteration " + t).rmse()
        : Double.NaN;
  }

  /** Each iteration to the debug log and to the user's listener. */
  private static TrainingLoop.Listener progress(TrainingListener listener) {
    return (it, max) -> {
      LOG.debug("iteration {}/{} objective {} |g| {} {} s validation RMSE {}", it.iteration(),
          max, it.objective(), it.gradientNorm(), it.seconds(), it.validationRmse());
      if (listener != null) {
        listener.onIteration(it, max);
      }
    };
  }

  /**
   * The final metrics (one pass over the training blocks, one over the validation blocks) and
   * the summary. J at the final weights comes from the same pass: the per-row (weighted) sum over
   * outputs of the squared error on the standardized labels (the metrics are in label units),
   * divided by the weight sum, plus the penalty.
   */
  private static TrainingSummary summarize(JavaSparkContext sc, Dataset<?> df,
      BlockData.Loaded data, Network net, Plan plan, TrainingLoop.Result r, double seconds,
      long cached, SortedMap<String, String> params) {
    Scorer fin = new Scorer(net, r.weights(), data.scaling());
    List<Metrics> train = Evaluation.perOutput(sc, data.training(), fin,
        "train: final training metrics");
    List<Metrics> val = data.validation() == null ? null
        : Evaluation.perOutput(sc, data.validation(), fin, "train: final validation metrics");
    double finalObjective = 0;
    for (int k = 0; k < train.size(); k++) {
      double ls = data.scaling().labelScales()[k];
      finalObjective += train.get(k).sse() / train.get(k).weight() / (ls * ls);
    }
    finalObjective += L2.penalty(net, plan.settings().l2(), r.weights());
    TrainingSummary.Provenance provenance = new TrainingSummary.Provenance(params,
        SavedModel.projectVersion(), df.sparkSession().version(),
        System.getProperty("java.version"), sc.master(), Blas.description(),
        ElementWise.get().name(), Instant.now().toString(), r.resumedAfter());
    return TrainingSummary.of(r, finalObjective, RegressionMetrics.of(train, 0),
        val == null ? null : RegressionMetrics.of(val, 0), data, seconds, cached, provenance);
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
