package io.sparkbackprop.ml;

import java.util.Locale;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A feed-forward neural network regressor trained by exact backprop and distributed gradient
 * descent (or L-BFGS) on squared error: the Spark ML estimator of spark-backprop.
 *
 * <pre>{@code
 * MultilayerPerceptronRegressor mlp = new MultilayerPerceptronRegressor()
 *     .setLayers(new int[] {10, 64, 64, 1}).setSolver("l-bfgs").setMaxIter(200).setRegParam(1e-4);
 * PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, mlp}).fit(df);
 * }</pre>
 *
 * <p>Each iteration the driver broadcasts the weights, executors compute per-row gradients of
 * {@code (y - yhat)^2} by backprop over cached blocks of their partitions and sum them, a tree
 * combines the sums, and the driver divides by the row count once and steps
 * {@code w -= stepSize * g}. The features column is a Vector (dense or sparse) or an array of
 * numbers; the label any numeric type. The Params are those of {@link MultilayerPerceptronParams}.
 * {@code fit} caches blocks of its own (storageLevel) and unpersists them before it returns or
 * throws; the caller's Dataset is left as it was.
 *
 * <p>Errors: {@link io.sparkbackprop.errors.DataException} for data that cannot be used (naming the
 * column and the rows or values), {@link io.sparkbackprop.errors.TrainingFailed} when training
 * diverges or a checkpoint does not fit, {@link IllegalArgumentException} for Params that do not
 * go together.
 */
public class MultilayerPerceptronRegressor
    extends Predictor<Vector, MultilayerPerceptronRegressor, MultilayerPerceptronRegressionModel>
    // Every theme of Params named here, not only through MultilayerPerceptronParams: Py4J (PySpark)
    // finds default methods only in the interfaces a class implements directly.
    implements MultilayerPerceptronParams, NetworkParams, SolverParams, StepSizeParams,
        StoppingParams, DataParams, ExecutionParams, CheckpointParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamTable table;
  private transient TrainingListener listener;

  public MultilayerPerceptronRegressor() {
    this(Identifiable.randomUID("mlpReg"));
  }

  public MultilayerPerceptronRegressor(String uid) {
    this(PendingUid.park(uid), 0);
  }

  private MultilayerPerceptronRegressor(String uid, int parked) {
    super();
    this.uid = uid;
    PendingUid.clear();
    this.table = new ParamTable(this);
    ParamTable.declareAll(this);
  }

  @Override public String uid() {
    return uid != null ? uid : PendingUid.current();
  }

  @Override public ParamTable table() {
    return table;
  }

  /** Hears the next fits of this estimator and of its copies (not persisted). */
  public MultilayerPerceptronRegressor setListener(TrainingListener listener) {
    this.listener = listener;
    return this;
  }

  public TrainingListener getListener() {
    return listener;
  }

  /** The network that layers, hiddenActivation and outputActivation describe. */
  public io.sparkbackprop.nn.Network network() {
    if (!isDefined(layers())) {
      throw new IllegalArgumentException("layers is not set");
    }
    return Fit.network(getLayers(), getHiddenActivation(), getOutputActivation());
  }

  /**
   * Checks the schema, trains and copies this estimator's Params to the model, as Spark's
   * {@code Predictor.fit} does, but without its cast of the label by {@code col(labelCol)}, whose
   * name parser takes {@code a.b} for a field of a struct: the blocks cast the label themselves.
   */
  @Override public MultilayerPerceptronRegressionModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    return copyValues(train(dataset).setParent(this), ParamMap.empty());
  }

  @Override public MultilayerPerceptronRegressionModel train(Dataset<?> dataset) {
    return Fit.run(this, dataset, listener);
  }

  @Override public MultilayerPerceptronRegressor copy(ParamMap extra) {
    MultilayerPerceptronRegressor c = defaultCopy(extra);
    c.listener = listener;
    return c;
  }

  /** Features as a Vector or a numeric array, a numeric label, a new double prediction column. */
  @Override public StructType validateAndTransformSchema(StructType schema, boolean fitting,
      DataType featuresDataType) {
    return Schemas.check(this, schema, fitting);
  }

  @Override public StructType transformSchema(StructType schema) {
    return validateAndTransformSchema(schema, true, featuresDataType());
  }

  /** 8 bytes a weight, plus the scaling and the summary's history (Spark 4's Estimator method). */
  public long estimateModelSize(Dataset<?> dataset) {
    int[] w = getLayers();
    long weights = 0;
    for (int l = 1; l < w.length; l++) {
      weights += (w[l - 1] + 1L) * w[l];
    }
    return 8 * weights + 16L * w[0] + 64L * getMaxIter() + 4096;
  }

  public static MLReader<MultilayerPerceptronRegressor> read() {
    return new DefaultParamsReader<>();
  }

  public static MultilayerPerceptronRegressor load(String path) {
    return read().load(path);
  }

  // ---- setters, one per Param, by theme as the Params are grouped ----

  // NetworkParams

  public MultilayerPerceptronRegressor setLayers(int[] value) {
    return (MultilayerPerceptronRegressor) set(layers(), value);
  }

  public MultilayerPerceptronRegressor setHiddenActivation(String value) {
    return (MultilayerPerceptronRegressor) set(hiddenActivation(), value);
  }

  public MultilayerPerceptronRegressor setOutputActivation(String value) {
    return (MultilayerPerceptronRegressor) set(outputActivation(), value);
  }

  public MultilayerPerceptronRegressor setSeed(long value) {
    return (MultilayerPerceptronRegressor) set(seed(), value);
  }

  public MultilayerPerceptronRegressor setInitialWeights(Vector value) {
    return (MultilayerPerceptronRegressor) set(initialWeights(), value);
  }

  // SolverParams

  /** One of {@link SolverParams#SOLVERS}, in any case; set lower case. */
  public MultilayerPerceptronRegressor setSolver(String value) {
    return (MultilayerPerceptronRegressor) set(solver(),
        value == null ? null : value.toLowerCase(Locale.ROOT));
  }

  public MultilayerPerceptronRegressor setMiniBatchFraction(double value) {
    return (MultilayerPerceptronRegressor) set(miniBatchFraction(), value);
  }

  public MultilayerPerceptronRegressor setRegParam(double value) {
    return (MultilayerPerceptronRegressor) set(regParam(), value);
  }

  public MultilayerPerceptronRegressor setClipNorm(double value) {
    return (MultilayerPerceptronRegressor) set(clipNorm(), value);
  }

  public MultilayerPerceptronRegressor setMomentum(double value) {
    return (MultilayerPerceptronRegressor) set(momentum(), value);
  }

  public MultilayerPerceptronRegressor setNesterov(boolean value) {
    return (MultilayerPerceptronRegressor) set(nesterov(), value);
  }

  public MultilayerPerceptronRegressor setBeta1(double value) {
    return (MultilayerPerceptronRegressor) set(beta1(), value);
  }

  public MultilayerPerceptronRegressor setBeta2(double value) {
    return (MultilayerPerceptronRegressor) set(beta2(), value);
  }

  public MultilayerPerceptronRegressor setEpsilon(double value) {
    return (MultilayerPerceptronRegressor) set(epsilon(), value);
  }

  public MultilayerPerceptronRegressor setLbfgsMemory(int value) {
    return (MultilayerPerceptronRegressor) set(lbfgsMemory(), value);
  }

  public MultilayerPerceptronRegressor setBatchSize(int value) {
    return (MultilayerPerceptronRegressor) set(batchSize(), value);
  }

  public MultilayerPerceptronRegressor setLocalSteps(int value) {
    return (MultilayerPerceptronRegressor) set(localSteps(), value);
  }

  // StepSizeParams

  public MultilayerPerceptronRegressor setStepSize(double value) {
    return (MultilayerPerceptronRegressor) set(stepSize(), value);
  }

  public MultilayerPerceptronRegressor setLearningRateSchedule(String value) {
    return (MultilayerPerceptronRegressor) set(learningRateSchedule(), value);
  }

  public MultilayerPerceptronRegressor setPowerT(double value) {
    return (MultilayerPerceptronRegressor) set(powerT(), value);
  }

  public MultilayerPerceptronRegressor setDecayFactor(double value) {
    return (MultilayerPerceptronRegressor) set(decayFactor(), value);
  }

  public MultilayerPerceptronRegressor setDecayEvery(int value) {
    return (MultilayerPerceptronRegressor) set(decayEvery(), value);
  }

  // StoppingParams

  public MultilayerPerceptronRegressor setMaxIter(int value) {
    return (MultilayerPerceptronRegressor) set(maxIter(), value);
  }

  public MultilayerPerceptronRegressor setTol(double value) {
    return (MultilayerPerceptronRegressor) set(tol(), value);
  }

  public MultilayerPerceptronRegressor setNIterNoChange(int value) {
    return (MultilayerPerceptronRegressor) set(nIterNoChange(), value);
  }

  public MultilayerPerceptronRegressor setValidationIndicatorCol(String value) {
    return (MultilayerPerceptronRegressor) set(validationIndicatorCol(), value);
  }

  public MultilayerPerceptronRegressor setValidationFraction(double value) {
    return (MultilayerPerceptronRegressor) set(validationFraction(), value);
  }

  public MultilayerPerceptronRegressor setSplitSeed(long value) {
    return (MultilayerPerceptronRegressor) set(splitSeed(), value);
  }

  public MultilayerPerceptronRegressor setEvalEvery(int value) {
    return (MultilayerPerceptronRegressor) set(evalEvery(), value);
  }

  public MultilayerPerceptronRegressor setPatience(int value) {
    return (MultilayerPerceptronRegressor) set(patience(), value);
  }

  public MultilayerPerceptronRegressor setMinDelta(double value) {
    return (MultilayerPerceptronRegressor) set(minDelta(), value);
  }

  // DataParams

  /** Row weights (see the Param); null or empty: every row weighs 1. */
  public MultilayerPerceptronRegressor setWeightCol(String value) {
    return (MultilayerPerceptronRegressor) set(weightCol(), value == null ? "" : value);
  }

  public MultilayerPerceptronRegressor setHandleInvalid(String value) {
    return (MultilayerPerceptronRegressor) set(handleInvalid(), value);
  }

  public MultilayerPerceptronRegressor setStandardization(boolean value) {
    return (MultilayerPerceptronRegressor) set(standardization(), value);
  }

  public MultilayerPerceptronRegressor setStandardizeLabel(boolean value) {
    return (MultilayerPerceptronRegressor) set(standardizeLabel(), value);
  }

  // ExecutionParams

  public MultilayerPerceptronRegressor setBlockSize(int value) {
    return (MultilayerPerceptronRegressor) set(blockSize(), value);
  }

  /** {@code double} (default) or {@code float}: see {@link #precision()}. */
  public MultilayerPerceptronRegressor setPrecision(String value) {
    return (MultilayerPerceptronRegressor) set(precision(), value);
  }

  public MultilayerPerceptronRegressor setNumPartitions(int value) {
    return (MultilayerPerceptronRegressor) set(numPartitions(), value);
  }

  public MultilayerPerceptronRegressor setStorageLevel(String value) {
    return (MultilayerPerceptronRegressor) set(storageLevel(), value);
  }

  public MultilayerPerceptronRegressor setAggregationDepth(int value) {
    return (MultilayerPerceptronRegressor) set(aggregationDepth(), value);
  }

  public MultilayerPerceptronRegressor setCombineMode(String value) {
    return (MultilayerPerceptronRegressor) set(combineMode(), value);
  }

  // CheckpointParams

  public MultilayerPerceptronRegressor setCheckpointDir(String value) {
    return (MultilayerPerceptronRegressor) set(checkpointDir(), value);
  }

  public MultilayerPerceptronRegressor setCheckpointInterval(int value) {
    return (MultilayerPerceptronRegressor) set(checkpointInterval(), value);
  }

  public MultilayerPerceptronRegressor setResume(boolean value) {
    return (MultilayerPerceptronRegressor) set(resume(), value);
  }
}
