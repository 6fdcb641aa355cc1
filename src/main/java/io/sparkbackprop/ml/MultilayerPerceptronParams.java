package io.sparkbackprop.ml;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import io.sparkbackprop.spark.SparkCompat;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.storage.StorageLevel;

/**
 * The Params of {@link MultilayerPerceptronRegressor} and its model, with MLlib's names where
 * MLlib has the same setting ({@code MultilayerPerceptronClassifier}, {@code LinearRegression},
 * {@code GBTRegressor}), each declared once below with its documentation, its default and its
 * range. A value out of range is an {@link IllegalArgumentException} naming the param and the
 * range when it is set.
 *
 * <p>Conventions (see {@link io.sparkbackprop.nn.SquaredError}): the objective is
 * {@code J(w) = (1/n) sum_i (y_i - yhat_i)^2 + regParam * sum W^2} over the (standardized)
 * training rows, and every solver steps {@code w -= stepSize * g} with {@code g = dJ/dw}.
 */
public interface MultilayerPerceptronParams extends Params {
  /** The solvers: names as set (lower case) and what they mean. */
  List<String> SOLVERS = List.of("gd", "sgd", "adam", "l-bfgs", "lbfgs", "local-adam",
      "local-sgd");

  /** This object's Param instances (each estimator and model has its own). */
  Declared declared();

  /** The Param instances of one owner, created and given their defaults in one place. */
  final class Declared implements Serializable {
    private static final long serialVersionUID = 1L;
    final IntArrayParam layers;
    final Param<String> hiddenActivation;
    final Param<String> outputActivation;
    final Param<String> solver;
    final IntParam maxIter;
    final DoubleParam stepSize;
    final DoubleParam tol;
    final LongParam seed;
    final IntParam blockSize;
    final IntParam batchSize;
    final IntParam localSteps;
    final IntParam nIterNoChange;
    final Param<Vector> initialWeights;
    final DoubleParam regParam;
    final DoubleParam miniBatchFraction;
    final DoubleParam momentum;
    final BooleanParam nesterov;
    final DoubleParam beta1;
    final DoubleParam beta2;
    final DoubleParam epsilon;
    final Param<String> learningRateSchedule;
    final DoubleParam powerT;
    final DoubleParam decayFactor;
    final IntParam decayEvery;
    final IntParam lbfgsMemory;
    final DoubleParam clipNorm;
    final IntParam aggregationDepth;
    final Param<String> combineMode;
    final Param<String> precision;
    final BooleanParam standardization;
    final BooleanParam standardizeLabel;
    final Param<String> handleInvalid;
    final Param<String> validationIndicatorCol;
    final Param<String> weightCol;
    final DoubleParam validationFraction;
    final LongParam splitSeed;
    final IntParam evalEvery;
    final IntParam patience;
    final DoubleParam minDelta;
    final Param<String> checkpointDir;
    final IntParam checkpointInterval;
    final BooleanParam resume;
    final IntParam numPartitions;
    final Param<String> storageLevel;

    Declared(Params owner) {
      String uid = owner.uid();
      layers = new IntArrayParam(owner, "layers", "widths of all layers, input first and output"
          + " last, as MLlib's layers, e.g. [10, 64, 64, 1]; the output width must be 1 (one"
          + " label). Required", ParamChecks.checked("layers", "at least 2 widths, each >= 1",
              (int[] a) -> a.length >= 2 && java.util.Arrays.stream(a).allMatch(x -> x >= 1)));
      hiddenActivation = string(uid, "hiddenActivation", "activation of the hidden layers:"
          + " identity, sigmoid, tanh or relu; or a comma-separated list with one per hidden layer",
          "one of identity, sigmoid, tanh, relu, or one per hidden layer separated by commas",
          ParamChecks::activationsValid);
      outputActivation = string(uid, "outputActivation", "activation of the output layer:"
          + " identity (regression), sigmoid, tanh or relu", "one of identity, sigmoid, tanh, relu",
          s -> ParamChecks.activationsValid(s) && !s.contains(","));
      solver = string(uid, "solver", "gd: full-batch gradient descent; sgd: gradient descent on a"
          + " Bernoulli sample of miniBatchFraction of the rows each iteration; adam: Adam (Kingma"
          + " and Ba, 2015) on such samples (full batch by default); l-bfgs (or lbfgs): Breeze's"
          + " L-BFGS, full batch; local-adam and local-sgd: rounds of local mini-batch steps (Adam,"
          + " or sgd with momentum) in every partition over its own rows in a shuffled order,"
          + " batchSize rows per step, one local epoch (or localSteps) per round, the partitions'"
          + " weights then averaged (weighted by rows); one iteration is one round",
          "one of " + SOLVERS,
          s -> SOLVERS.contains(s.toLowerCase(Locale.ROOT)));
      maxIter = new IntParam(owner, "maxIter", "maximum number of iterations (>= 1)",
          ParamChecks.checked("maxIter", ">= 1", ParamValidators.gtEq(1)));
      stepSize = new DoubleParam(owner, "stepSize", "learning rate of w -= stepSize * g (> 0);"
          + " when not set: 0.1 for gd and sgd, 0.01 for adam and local-sgd, 0.003 for local-adam;"
          + " not used by l-bfgs",
          ParamChecks.checked("stepSize", "> 0", ParamValidators.gt(0)));
      tol = new DoubleParam(owner, "tol", "stop when the objective's relative change"
          + " |J_t - J_(t-1)| / |J_(t-1)| falls below tol, or with nIterNoChange = k > 0 when J"
          + " was not below (1 - tol) x its best for k iterations in a row (>= 0; 0: never); for"
          + " l-bfgs, Breeze's convergence tolerance; when not set: 1e-4 for local-adam and"
          + " local-sgd, else 0", ParamChecks.checked("tol", ">= 0", ParamValidators.gtEq(0)));
      seed = new LongParam(owner, "seed", "seed of the initial weights (Glorot uniform, He"
          + " normal for relu layers) and of the mini-batch samples");
      blockSize = new IntParam(owner, "blockSize", "rows per block of the BLAS kernel (>= 1);"
          + " when not set: 1024 when every layer after the input is at most 8 wide, else 256",
          ParamChecks.checked("blockSize", ">= 1", ParamValidators.gtEq(1)));
      batchSize = new IntParam(owner, "batchSize", "rows per mini-batch step of local-adam and"
          + " local-sgd (>= 1; a partition with fewer rows takes them all)",
          ParamChecks.checked("batchSize", ">= 1", ParamValidators.gtEq(1)));
      localSteps = new IntParam(owner, "localSteps", "mini-batch steps each partition takes per"
          + " round of local-adam and local-sgd (>= 0; 0: one local epoch over its rows)",
          ParamChecks.checked("localSteps", ">= 0", ParamValidators.gtEq(0)));
      nIterNoChange = new IntParam(owner, "nIterNoChange", "stop when the objective was not"
          + " below (1 - tol) x its best for this many iterations in a row (>= 0; 0: the relative"
          + " change rule of tol); when not set: 20 for local-adam and local-sgd (whose objective,"
          + " the mean loss of a round's mini-batches, is noisy), else 0",
          ParamChecks.checked("nIterNoChange", ">= 0", ParamValidators.gtEq(0)));
      initialWeights = SparkCompat.param(uid, "initialWeights", "weights to start from, in the"
          + " flat layout W[l][from][to] at offset(l) + (to - 1) * (in + 1) + from, biases at"
          + " from = 0 (as model.json's flatWeights); when not set: seeded Glorot/He",
          ParamChecks.checked("initialWeights", "a vector", (Vector v) -> v != null), Vector.class);
      regParam = new DoubleParam(owner, "regParam", "L2 penalty alpha (>= 0): J + alpha *"
          + " sum W^2 over the weights, never the biases; when not set: 5 / n for local-adam and"
          + " local-sgd (n the training rows: the weight of five rows, fading as the data grow),"
          + " else 0", ParamChecks.checked("regParam", ">= 0",
              ParamValidators.gtEq(0)));
      miniBatchFraction = new DoubleParam(owner, "miniBatchFraction", "share of the rows in"
          + " each iteration's Bernoulli sample, in (0, 1], for sgd and adam; when not set: 0.1"
          + " for sgd, 1 (full batch) for the others", ParamChecks.checked("miniBatchFraction", "in (0, 1]",
              ParamValidators.inRange(0, 1, false, true)));
      momentum = new DoubleParam(owner, "momentum", "momentum mu of gd and sgd, in [0, 1)"
          + " (0: none)", ParamChecks.checked("momentum", "in [0, 1)",
              ParamValidators.inRange(0, 1, true, false)));
      nesterov = new BooleanParam(owner, "nesterov", "Nesterov's momentum instead of plain"
          + " momentum (needs momentum > 0)");
      beta1 = new DoubleParam(owner, "beta1", "Adam's decay of the first moment, in [0, 1)",
          ParamChecks.checked("beta1", "in [0, 1)", ParamValidators.inRange(0, 1, true, false)));
      beta2 = new DoubleParam(owner, "beta2", "Adam's decay of the second moment, in [0, 1)",
          ParamChecks.checked("beta2", "in [0, 1)", ParamValidators.inRange(0, 1, true, false)));
      epsilon = new DoubleParam(owner, "epsilon", "Adam's epsilon (> 0)",
          ParamChecks.checked("epsilon", "> 0", ParamValidators.gt(0)));
      learningRateSchedule = string(uid, "learningRateSchedule", "the step size at iteration t:"
          + " constant; invscaling: stepSize / t^powerT; step: stepSize * decayFactor^floor((t - 1)"
          + " / decayEvery)", "one of constant, invscaling, step",
          s -> List.of("constant", "invscaling", "step").contains(s.toLowerCase(Locale.ROOT)));
      powerT = new DoubleParam(owner, "powerT", "invscaling's power (>= 0)",
          ParamChecks.checked("powerT", ">= 0", ParamValidators.gtEq(0)));
      decayFactor = new DoubleParam(owner, "decayFactor", "step decay's factor, in (0, 1]",
          ParamChecks.checked("decayFactor", "in (0, 1]", ParamValidators.inRange(0, 1, false, true)));
      decayEvery = new IntParam(owner, "decayEvery", "step decay's period in iterations (>= 1)",
          ParamChecks.checked("decayEvery", ">= 1", ParamValidators.gtEq(1)));
      lbfgsMemory = new IntParam(owner, "lbfgsMemory", "L-BFGS correction pairs kept (>= 1)",
          ParamChecks.checked("lbfgsMemory", ">= 1", ParamValidators.gtEq(1)));
      clipNorm = new DoubleParam(owner, "clipNorm", "scale the gradient down to this norm when"
          + " it is longer, before each step (>= 0; 0: no clipping; not with l-bfgs)",
          ParamChecks.checked("clipNorm", ">= 0", ParamValidators.gtEq(0)));
      aggregationDepth = new IntParam(owner, "aggregationDepth", "depth of the tree that"
          + " combines the partitions' gradient sums (>= 1)", ParamChecks.checked("aggregationDepth", ">= 1",
              ParamValidators.gtEq(1)));
      combineMode = string(uid, "combineMode", "ordered: a tree of fixed shape summed in"
          + " partition order, bitwise reproducible; spark-tree: Spark's treeAggregate, in task"
          + " completion order", "one of ordered, spark-tree",
          s -> List.of("ordered", "spark-tree").contains(s.toLowerCase(Locale.ROOT)));
      precision = string(uid, "precision", "element type of the cached training blocks and of"
          + " the training kernel: double, or float (half the memory, single-precision BLAS; each"
          + " block's gradient is added into a double sum, and the weights, their update and the"
          + " saved model stay double)", "one of double, float",
          s -> List.of("double", "float").contains(s.toLowerCase(Locale.ROOT)));
      standardization = new BooleanParam(owner, "standardization", "standardize the features"
          + " to mean 0 and standard deviation 1 over the training rows (kept in the model, so"
          + " predictions take raw features)");
      standardizeLabel = new BooleanParam(owner, "standardizeLabel", "standardize the label"
          + " likewise (predictions come back in the label's units)");
      handleInvalid = string(uid, "handleInvalid", "rows with a null, NaN or infinite feature or"
          + " label: error (refuse the data) or skip (leave them out)", "one of error, skip",
          s -> List.of("error", "skip").contains(s.toLowerCase(Locale.ROOT)));
      validationIndicatorCol = string(uid, "validationIndicatorCol", "name of a boolean column,"
          + " true for validation rows (as GBTRegressor's); not set: no validation rows, unless"
          + " validationFraction is set", "a column name", s -> !s.isEmpty());
      weightCol = string(uid, "weightCol", "weight column name (as MLlib's HasWeightCol): a"
          + " numeric column of row weights >= 0; the objective becomes sum_i w_i L_i / sum_i w_i,"
          + " standardization and metrics are weighted, a row of weight 0 contributes nothing;"
          + " a null, NaN, infinite or negative weight is an invalid value (handleInvalid). If"
          + " this is not set or empty, we treat all instance weights as 1.0", "a column name",
          s -> true);
      validationFraction = new DoubleParam(owner, "validationFraction", "hold out this share of"
          + " the rows for validation, in (0, 1), by a hash of (splitSeed, the row's values): the"
          + " same rows whatever the partitioning; not set: no validation rows, unless"
          + " validationIndicatorCol is set", ParamChecks.checked("validationFraction", "in (0, 1)",
              ParamValidators.inRange(0, 1, false, false)));
      splitSeed = new LongParam(owner, "splitSeed", "seed of validationFraction's split; when"
          + " not set: seed");
      evalEvery = new IntParam(owner, "evalEvery", "compute the validation RMSE every k"
          + " iterations (>= 1), and at the first", ParamChecks.checked("evalEvery", ">= 1",
              ParamValidators.gtEq(1)));
      patience = new IntParam(owner, "patience", "early stopping: stop after this many"
          + " validation evaluations without an improvement of more than minDelta, keeping the"
          + " best weights (>= 0; 0: off)", ParamChecks.checked("patience", ">= 0", ParamValidators.gtEq(0)));
      minDelta = new DoubleParam(owner, "minDelta", "the improvement of validation RMSE that"
          + " counts for early stopping (>= 0)", ParamChecks.checked("minDelta", ">= 0",
              ParamValidators.gtEq(0)));
      checkpointDir = string(uid, "checkpointDir", "directory (any Hadoop path: hdfs://, s3a://,"
          + " file:) for checkpoints of the weights, optimizer state and history; not set: none;"
          + " not with l-bfgs", "a path", s -> !s.isEmpty());
      checkpointInterval = new IntParam(owner, "checkpointInterval", "write a checkpoint every"
          + " k iterations (>= 1)", ParamChecks.checked("checkpointInterval", ">= 1", ParamValidators.gtEq(1)));
      resume = new BooleanParam(owner, "resume", "continue from the newest checkpoint in"
          + " checkpointDir, when there is one and it was written with the same settings and data");
      numPartitions = new IntParam(owner, "numPartitions", "partitions of the cached blocks:"
          + " 0 keeps the input's, or, when the input has more than 4 per core Spark reports,"
          + " deals rows out to 4 per core (local-adam and local-sgd: always deals them out to"
          + " one partition per core, each partition one share of the averaging); P > 0 deals"
          + " rows out to P partitions in input order (>= 0; set it for the same partitions, and"
          + " bits, on any cluster)",
          ParamChecks.checked("numPartitions", ">= 0", ParamValidators.gtEq(0)));
      storageLevel = string(uid, "storageLevel", "storage level of the cached blocks, e.g."
          + " MEMORY_AND_DISK (a table larger than the cluster's memory still trains),"
          + " MEMORY_ONLY, MEMORY_AND_DISK_SER", "one of Spark's StorageLevel names but NONE"
          + " (DISK_ONLY, DISK_ONLY_2, DISK_ONLY_3, MEMORY_ONLY, MEMORY_ONLY_2, MEMORY_ONLY_SER,"
          + " MEMORY_ONLY_SER_2, MEMORY_AND_DISK, MEMORY_AND_DISK_2, MEMORY_AND_DISK_SER,"
          + " MEMORY_AND_DISK_SER_2, OFF_HEAP)", s -> {
            try {
              return StorageLevel.fromString(s) != StorageLevel.NONE();
            } catch (IllegalArgumentException e) {
              return false;
            }
          });

      // The defaults, each declared once. Params without one are optional (see their docs).
      owner.setDefault(hiddenActivation, "relu");
      owner.setDefault(outputActivation, "identity");
      owner.setDefault(solver, "local-adam");
      owner.setDefault(maxIter, 500);
      owner.setDefault(seed, 42L);
      owner.setDefault(momentum, 0.0);
      owner.setDefault(nesterov, false);
      owner.setDefault(beta1, 0.9);
      owner.setDefault(beta2, 0.999);
      owner.setDefault(epsilon, 1e-8);
      owner.setDefault(learningRateSchedule, "constant");
      owner.setDefault(powerT, 0.5);
      owner.setDefault(decayFactor, 0.5);
      owner.setDefault(decayEvery, 100);
      owner.setDefault(lbfgsMemory, 7);
      owner.setDefault(batchSize, 200);
      owner.setDefault(localSteps, 0);
      owner.setDefault(clipNorm, 0.0);
      owner.setDefault(aggregationDepth, 2);
      owner.setDefault(combineMode, "ordered");
      owner.setDefault(precision, "double");
      owner.setDefault(standardization, true);
      owner.setDefault(standardizeLabel, true);
      owner.setDefault(handleInvalid, "error");
      owner.setDefault(evalEvery, 1);
      owner.setDefault(patience, 0);
      owner.setDefault(minDelta, 0.0);
      owner.setDefault(checkpointInterval, 10);
      owner.setDefault(resume, false);
      owner.setDefault(numPartitions, 0);
      owner.setDefault(storageLevel, "MEMORY_AND_DISK");
    }

    // ok is serializable, and so are the lambdas written for it: the validator holds it, and
    // the model (with its Params) is shipped to executors inside closures and UDFs.
    private static Param<String> string(String uid, String name, String doc, String range,
        ParamChecks.Test<String> ok) {
      return SparkCompat.param(uid, name, doc,
          ParamChecks.checked(name, range, (String s) -> s != null && ok.ok(s)), String.class);
    }
  }

  // ---- the Params, found by Spark through these public methods ----

  default IntArrayParam layers() {
    return declared().layers;
  }

  default Param<String> hiddenActivation() {
    return declared().hiddenActivation;
  }

  default Param<String> outputActivation() {
    return declared().outputActivation;
  }

  default Param<String> solver() {
    return declared().solver;
  }

  default IntParam maxIter() {
    return declared().maxIter;
  }

  default DoubleParam stepSize() {
    return declared().stepSize;
  }

  default DoubleParam tol() {
    return declared().tol;
  }

  default LongParam seed() {
    return declared().seed;
  }

  default IntParam blockSize() {
    return declared().blockSize;
  }

  default IntParam batchSize() {
    return declared().batchSize;
  }

  default IntParam localSteps() {
    return declared().localSteps;
  }

  default IntParam nIterNoChange() {
    return declared().nIterNoChange;
  }

  default Param<Vector> initialWeights() {
    return declared().initialWeights;
  }

  default DoubleParam regParam() {
    return declared().regParam;
  }

  default DoubleParam miniBatchFraction() {
    return declared().miniBatchFraction;
  }

  default DoubleParam momentum() {
    return declared().momentum;
  }

  default BooleanParam nesterov() {
    return declared().nesterov;
  }

  default DoubleParam beta1() {
    return declared().beta1;
  }

  default DoubleParam beta2() {
    return declared().beta2;
  }

  default DoubleParam epsilon() {
    return declared().epsilon;
  }

  default Param<String> learningRateSchedule() {
    return declared().learningRateSchedule;
  }

  default DoubleParam powerT() {
    return declared().powerT;
  }

  default DoubleParam decayFactor() {
    return declared().decayFactor;
  }

  default IntParam decayEvery() {
    return declared().decayEvery;
  }

  default IntParam lbfgsMemory() {
    return declared().lbfgsMemory;
  }

  default DoubleParam clipNorm() {
    return declared().clipNorm;
  }

  default IntParam aggregationDepth() {
    return declared().aggregationDepth;
  }

  default Param<String> combineMode() {
    return declared().combineMode;
  }

  default Param<String> precision() {
    return declared().precision;
  }

  default BooleanParam standardization() {
    return declared().standardization;
  }

  default BooleanParam standardizeLabel() {
    return declared().standardizeLabel;
  }

  default Param<String> handleInvalid() {
    return declared().handleInvalid;
  }

  default Param<String> validationIndicatorCol() {
    return declared().validationIndicatorCol;
  }

  default Param<String> weightCol() {
    return declared().weightCol;
  }

  default DoubleParam validationFraction() {
    return declared().validationFraction;
  }

  default LongParam splitSeed() {
    return declared().splitSeed;
  }

  default IntParam evalEvery() {
    return declared().evalEvery;
  }

  default IntParam patience() {
    return declared().patience;
  }

  default DoubleParam minDelta() {
    return declared().minDelta;
  }

  default Param<String> checkpointDir() {
    return declared().checkpointDir;
  }

  default IntParam checkpointInterval() {
    return declared().checkpointInterval;
  }

  default BooleanParam resume() {
    return declared().resume;
  }

  default IntParam numPartitions() {
    return declared().numPartitions;
  }

  default Param<String> storageLevel() {
    return declared().storageLevel;
  }

  // ---- getters: the value set, else the default; for optional params, what training uses ----

  default int[] getLayers() {
    return getOrDefault(layers());
  }

  default String getHiddenActivation() {
    return getOrDefault(hiddenActivation());
  }

  default String getOutputActivation() {
    return getOrDefault(outputActivation());
  }

  /** The solver, lower case, with lbfgs read as l-bfgs. */
  default String getSolver() {
    String s = getOrDefault(solver()).toLowerCase(Locale.ROOT);
    return s.equals("lbfgs") ? "l-bfgs" : s;
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  /** The step size set, else 0.01 for adam and 0.1 for the others. */
  default double getStepSize() {
    return isDefined(stepSize()) ? (Double) getOrDefault(stepSize())
        : getSolver().equals("local-adam") ? 0.003
        : getSolver().equals("adam") || getSolver().equals("local-sgd") ? 0.01 : 0.1;
  }

  /** Whether the solver is local-adam or local-sgd. */
  default boolean isLocalSolver() {
    return getSolver().startsWith("local-");
  }

  default double getTol() {
    return isDefined(tol()) ? (Double) getOrDefault(tol()) : isLocalSolver() ? 1e-4 : 0.0;
  }

  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  default int getLocalSteps() {
    return (Integer) getOrDefault(localSteps());
  }

  default int getNIterNoChange() {
    return isDefined(nIterNoChange()) ? (Integer) getOrDefault(nIterNoChange())
        : isLocalSolver() ? 20 : 0;
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  /** The block size set, else 1024 when every layer after the input is at most 8 wide, else 256. */
  default int getBlockSize() {
    if (isDefined(blockSize())) {
      return (Integer) getOrDefault(blockSize());
    }
    int[] w = isDefined(layers()) ? getLayers() : new int[0];
    for (int l = 1; l < w.length; l++) {
      if (w[l] > 8) {
        return 256;
      }
    }
    return 1024;
  }

  /** regParam as set, else 0 (training resolves the default of the local solvers: {@link #regParamFor}). */
  default double getRegParam() {
    return isDefined(regParam()) ? (Double) getOrDefault(regParam()) : 0.0;
  }

  /** regParam as set, else its default for a training set of {@code rows} rows. */
  default double regParamFor(long rows) {
    return isDefined(regParam()) || !isLocalSolver() ? getRegParam() : 5.0 / Math.max(1, rows);
  }

  /** The fraction set, else 0.1 for sgd and 1 (full batch) for the others. */
  default double getMiniBatchFraction() {
    return isDefined(miniBatchFraction()) ? (Double) getOrDefault(miniBatchFraction())
        : getSolver().equals("sgd") ? 0.1 : 1.0;
  }

  default double getMomentum() {
    return (Double) getOrDefault(momentum());
  }

  default boolean getNesterov() {
    return (Boolean) getOrDefault(nesterov());
  }

  default double getBeta1() {
    return (Double) getOrDefault(beta1());
  }

  default double getBeta2() {
    return (Double) getOrDefault(beta2());
  }

  default double getEpsilon() {
    return (Double) getOrDefault(epsilon());
  }

  default String getLearningRateSchedule() {
    return getOrDefault(learningRateSchedule()).toLowerCase(Locale.ROOT);
  }

  default double getPowerT() {
    return (Double) getOrDefault(powerT());
  }

  default double getDecayFactor() {
    return (Double) getOrDefault(decayFactor());
  }

  default int getDecayEvery() {
    return (Integer) getOrDefault(decayEvery());
  }

  default int getLbfgsMemory() {
    return (Integer) getOrDefault(lbfgsMemory());
  }

  default double getClipNorm() {
    return (Double) getOrDefault(clipNorm());
  }

  default int getAggregationDepth() {
    return (Integer) getOrDefault(aggregationDepth());
  }

  default String getCombineMode() {
    return getOrDefault(combineMode()).toLowerCase(Locale.ROOT);
  }

  default String getPrecision() {
    return getOrDefault(precision()).toLowerCase(Locale.ROOT);
  }

  default boolean getStandardization() {
    return (Boolean) getOrDefault(standardization());
  }

  default boolean getStandardizeLabel() {
    return (Boolean) getOrDefault(standardizeLabel());
  }

  default String getHandleInvalid() {
    return getOrDefault(handleInvalid()).toLowerCase(Locale.ROOT);
  }

  /** The column name, or null when not set. */
  default String getValidationIndicatorCol() {
    return isDefined(validationIndicatorCol()) ? getOrDefault(validationIndicatorCol()) : null;
  }

  /** The weight column's name, or null when not set or empty (every row weighs 1). */
  default String getWeightCol() {
    return isDefined(weightCol()) && !getOrDefault(weightCol()).isEmpty()
        ? getOrDefault(weightCol()) : null;
  }

  /** The fraction, or 0 when not set. */
  default double getValidationFraction() {
    return isDefined(validationFraction()) ? (Double) getOrDefault(validationFraction()) : 0.0;
  }

  /** The split's seed set, else {@link #getSeed()}. */
  default long getSplitSeed() {
    return isDefined(splitSeed()) ? (Long) getOrDefault(splitSeed()) : getSeed();
  }

  default int getEvalEvery() {
    return (Integer) getOrDefault(evalEvery());
  }

  default int getPatience() {
    return (Integer) getOrDefault(patience());
  }

  default double getMinDelta() {
    return (Double) getOrDefault(minDelta());
  }

  /** The directory, or null when not set. */
  default String getCheckpointDir() {
    return isDefined(checkpointDir()) ? getOrDefault(checkpointDir()) : null;
  }

  default int getCheckpointInterval() {
    return (Integer) getOrDefault(checkpointInterval());
  }

  default boolean getResume() {
    return (Boolean) getOrDefault(resume());
  }

  default int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions());
  }

  default String getStorageLevel() {
    return getOrDefault(storageLevel());
  }

  /** The initial weights, or null when not set. */
  default Vector getInitialWeights() {
    return isDefined(initialWeights()) ? getOrDefault(initialWeights()) : null;
  }
}
