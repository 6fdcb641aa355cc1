package io.sparkbackprop.ml;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sparkbackprop.io.AtomicDir;
import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.io.HadoopFiles;
import io.sparkbackprop.io.ModelDir;
import io.sparkbackprop.errors.OutputException;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.nn.Kernels;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.spark.BlockedTransform;
import io.sparkbackprop.spark.Evaluation;
import io.sparkbackprop.spark.Scorer;
import io.sparkbackprop.spark.SparkCompat;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A trained network: {@link #transform} appends predictions in the label's units, scoring whole
 * partitions in blocks with the training kernel; {@link #predict} scores one vector;
 * {@link #evaluate} measures RMSE, MAE and R² on labelled data; {@link #summary} tells how it was
 * trained.
 *
 * <p>Saved as Spark ML's layout plus our {@code model.json} (network, weights in the textbook's
 * {@code weights[l-1][from][to-1]} form and flat, standardization, the training summary), through
 * Hadoop's FileSystem: {@code hdfs://}, {@code s3a://} and {@code file:} paths work. A save writes
 * a temporary sibling directory and renames it into place. {@code write().overwrite().save(path)}
 * keeps Spark's meaning, replacing whatever is at {@code path}, with one exception: it refuses
 * (an IOException, nothing touched) a path that is or holds a file this model was trained on
 * ({@link #trainingFiles}; known for a model from a fit in this JVM, not for a loaded one).
 */
public class MultilayerPerceptronRegressionModel
    extends RegressionModel<Vector, MultilayerPerceptronRegressionModel>
    // Every theme of Params named here, not only through MultilayerPerceptronParams: Py4J (PySpark)
    // finds default methods only in the interfaces a class implements directly.
    implements MultilayerPerceptronParams, NetworkParams, SolverParams, StepSizeParams,
        StoppingParams, DataParams, ExecutionParams, CheckpointParams, MLWritable {
  private static final long serialVersionUID = 1L;
  private static final String CLASS = MultilayerPerceptronRegressionModel.class.getName();

  private final String uid;
  private final ParamTable table;
  private final Network network;
  private final double[] weights;
  private final Scaling scaling;
  private final List<String> featureNames;
  /** A name per output (for one output: the label column, or empty when not known). */
  private final List<String> outputNames;
  private final TrainingSummary summary;
  /** The files the fit read (Dataset.inputFiles); not saved, so empty for a loaded model. */
  private List<String> trainingFiles = List.of();

  /**
   * A placeholder, for {@link java.util.ServiceLoader} only (Spark Connect lists the Transformers
   * of META-INF/services, and the lookup fails for every class when one listed class has no public
   * no-argument constructor; Spark's own models have one for the same reason): a 1-1 identity
   * network with zero weights, which predicts 0. Use {@link #load} or a fit for a real model.
   */
  public MultilayerPerceptronRegressionModel() {
    this(Identifiable.randomUID("mlpReg"), Network.of(new int[] {1, 1},
        new io.sparkbackprop.nn.Activation[] {io.sparkbackprop.nn.Activation.IDENTITY}),
        new double[2], Scaling.identity(1), List.of("features[0]"), null);
  }

  /**
   * @param weights flat weights (see {@link Network}); copied
   * @param scaling the standardization the network was trained with
   * @param featureNames a name per input (the training vector's ML attributes, or
   *     {@code features[j]})
   * @param summary how it was trained (null: unknown)
   */
  public MultilayerPerceptronRegressionModel(String uid, Network network, double[] weights,
      Scaling scaling, List<String> featureNames, TrainingSummary summary) {
    this(uid, network, weights, scaling, featureNames, defaultOutputNames(network), summary);
  }

  /**
   * As above, with a name per output (k > 1: the label vector's element names, as the CLI's
   * predict names its columns {@code prediction_NAME}).
   */
  public MultilayerPerceptronRegressionModel(String uid, Network network, double[] weights,
      Scaling scaling, List<String> featureNames, List<String> outputNames,
      TrainingSummary summary) {
    this(PendingUid.park(uid), network, weights, scaling, featureNames, outputNames, summary, 0);
  }

  /** {@code label[k]} per output of a multi-output network; empty (the label column) for one. */
  private static List<String> defaultOutputNames(Network network) {
    List<String> names = new java.util.ArrayList<>();
    for (int k = 0; network.outputWidth() > 1 && k < network.outputWidth(); k++) {
      names.add("label[" + k + "]");
    }
    return names;
  }

  private MultilayerPerceptronRegressionModel(String uid, Network network, double[] weights,
      Scaling scaling, List<String> featureNames, List<String> outputNames,
      TrainingSummary summary, int parked) {
    super();
    this.uid = uid;
    PendingUid.clear();
    this.table = new ParamTable(this);
    ParamTable.declareAll(this);
    network.checkLength(weights);
    if (featureNames.size() != network.inputWidth() || scaling.mean().length
        != network.inputWidth()) {
      throw new IllegalArgumentException("a network of " + network.inputWidth() + " inputs needs "
          + network.inputWidth() + " feature names and scalings, got " + featureNames.size()
          + " and " + scaling.mean().length);
    }
    int k = network.outputWidth();
    if (scaling.outputs() != k || (k > 1 && outputNames.size() != k)) {
      throw new IllegalArgumentException("a network of " + k + " outputs needs " + k
          + " label scalings and output names, got " + scaling.outputs() + " and "
          + outputNames.size());
    }
    this.network = network;
    this.weights = weights.clone();
    this.scaling = scaling;
    this.featureNames = List.copyOf(featureNames);
    this.outputNames = List.copyOf(outputNames);
    this.summary = summary;
    set(layers(), network.widths());
  }

  @Override public String uid() {
    return uid != null ? uid : PendingUid.current();
  }

  /** The label column evaluate reads. */
  public MultilayerPerceptronRegressionModel setLabelCol(String value) {
    return (MultilayerPerceptronRegressionModel) set(labelCol(), value);
  }

  /** The row weights evaluate reads (as RegressionEvaluator's weightCol); null or empty: none. */
  public MultilayerPerceptronRegressionModel setWeightCol(String value) {
    return (MultilayerPerceptronRegressionModel) set(weightCol(), value == null ? "" : value);
  }

  /** error or skip: what evaluate and countInvalid do with null, NaN or infinite values. */
  public MultilayerPerceptronRegressionModel setHandleInvalid(String value) {
    return (MultilayerPerceptronRegressionModel) set(handleInvalid(), value);
  }

  /** Rows per block of transform and evaluate. */
  public MultilayerPerceptronRegressionModel setBlockSize(int value) {
    return (MultilayerPerceptronRegressionModel) set(blockSize(), value);
  }

  @Override public ParamTable table() {
    return table;
  }

  /** The network's shape and activations. */
  public Network network() {
    return network;
  }

  /** The flat weights (a copy), in the layout {@link Network} states. */
  public double[] weights() {
    return weights.clone();
  }

  /** The weights as a Vector, in the layout of initialWeights. */
  public Vector weightsVector() {
    return Vectors.dense(weights.clone());
  }

  /** The standardization: features in, label out. */
  public Scaling scaling() {
    return scaling;
  }

  /** A name per input, in order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /**
   * A name per output: for k > 1 outputs the label vector's element names (its ML attributes,
   * as VectorAssembler or the CLI's {@code --label y1,y2,y3} record them) or {@code label[k]};
   * for one output the label column.
   */
  public List<String> outputNames() {
    return network.outputWidth() == 1 ? List.of(getLabelCol()) : outputNames;
  }

  /** The number of outputs k (1: a double prediction; k > 1: a Vector of k). */
  public int numOutputs() {
    return network.outputWidth();
  }

  @Override public int numFeatures() {
    return network.inputWidth();
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * How the model was trained.
   *
   * @throws NoSuchElementException when there is no summary ({@link #hasSummary()})
   */
  public TrainingSummary summary() {
    if (summary == null) {
      throw new NoSuchElementException("this model has no training summary");
    }
    return summary;
  }

  /** 8 bytes a weight, plus the scaling and the history (Spark 4's Model.estimatedSize). */
  public long estimatedSize() {
    return 8L * weights.length + 16L * network.inputWidth()
        + (summary == null ? 0 : 64L * summary.history().size()) + 4096;
  }

  /**
   * The prediction for one row of raw features, in the label's units: the same arithmetic as
   * {@link #transform} on a block of one row.
   */
  @Override public double predict(Vector features) {
    if (network.outputWidth() != 1) {
      throw new IllegalArgumentException("the model has " + network.outputWidth()
          + " outputs; use predictAll");
    }
    return predictAll(features)[0];
  }

  /** The k predictions for one row of raw features, in the labels' units. */
  public double[] predictAll(Vector features) {
    int d = network.inputWidth();
    if (features.size() != d) {
      throw new IllegalArgumentException("the vector has " + features.size()
          + " values; the network takes " + d);
    }
    double[] x = features.toArray().clone();
    double[] out = new double[network.outputWidth()];
    scaling.scaleFeatures(x, 1);
    Kernels.forNetwork(network, 1).predict(weights, x, 1, out);
    scaling.unscaleLabels(out, 1);
    return out;
  }

  private Scorer scorer() {
    return new Scorer(network, weights, scaling);
  }

  /**
   * The Dataset with the prediction column appended (label units; NaN where the features are
   * null or not finite), scored in blocks of blockSize rows per partition, the weights broadcast
   * once.
   */
  @Override public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    if (getPredictionCol().isEmpty()) {
      return dataset.toDF();
    }
    return BlockedTransform.transform(dataset, getFeaturesCol(), getPredictionCol(), scorer(),
        getBlockSize());
  }

  @Override public StructType validateAndTransformSchema(StructType schema, boolean fitting,
      DataType featuresDataType) {
    return Schemas.check(this, schema, fitting);
  }

  @Override public StructType transformSchema(StructType schema) {
    return validateAndTransformSchema(schema, false, featuresDataType());
  }

  /**
   * RMSE, MAE and R² of the model on labelled data (featuresCol and labelCol), in one pass.
   * Rows with a null, NaN or infinite feature or label are refused, or left out when
   * handleInvalid is skip. With weightCol set the metrics are weighted as
   * {@code RegressionEvaluator.setWeightCol} weighs them ({@link io.sparkbackprop.nn.Metrics}); a
   * null, NaN, infinite or negative weight is an invalid value.
   *
   * @throws io.sparkbackprop.errors.DataException bad data
   */
  public RegressionMetrics evaluate(Dataset<?> dataset) {
    Evaluation.Evaluated e = Evaluation.evaluate(dataset, getFeaturesCol(), getLabelCol(), getWeightCol(),
        featureNames, scorer(), getBlockSize(), getHandleInvalid().equals("skip"));
    return RegressionMetrics.of(e.outputs(), e.dropped());
  }

  /**
   * Counts the rows whose features are null, NaN or infinite (their prediction is NaN), in one
   * pass over the features column: {rows, invalid rows}.
   *
   * @throws io.sparkbackprop.errors.DataException when there are such rows and handleInvalid is
   *     error (naming the features at fault), or a row has another length than the network's input
   */
  public long[] countInvalid(Dataset<?> dataset) {
    BlockedTransform.Counted c = BlockedTransform.countInvalid(dataset, getFeaturesCol(), featureNames,
        network.inputWidth(), getHandleInvalid().equals("error"));
    return new long[] {c.rows(), c.invalid()};
  }

  /**
   * The files the fit that made this model read, as Spark's {@code Dataset.inputFiles} named
   * them (best effort; empty for data made in memory and for a loaded model: they are not saved).
   * {@code write().overwrite().save} refuses a path that is or holds one of them.
   */
  public List<String> trainingFiles() {
    return trainingFiles;
  }

  /** This model, recording the files it was trained on (see {@link #trainingFiles}). */
  MultilayerPerceptronRegressionModel withTrainingFiles(List<String> files) {
    this.trainingFiles = List.copyOf(files);
    return this;
  }

  @Override public MultilayerPerceptronRegressionModel copy(ParamMap extra) {
    MultilayerPerceptronRegressionModel m = new MultilayerPerceptronRegressionModel(uid, network,
        weights, scaling, featureNames, outputNames, summary).withTrainingFiles(trainingFiles);
    return copyValues(m, extra).setParent(parent());
  }

  @Override public String toString() {
    return "MultilayerPerceptronRegressionModel: uid=" + uid + ", network=" + network + ", "
        + weights.length + " weights";
  }

  // ---- persistence ----

  /** The model.json form of this model. */
  public SavedModel toSaved() {
    return new SavedModel(network, weights, featureNames, getLabelCol(), scaling,
        summary == null ? JsonNodeFactory.instance.objectNode() : summary.toJson(), outputNames());
  }

  /** A model from a model.json alone (its Params at their defaults but the network's). */
  public static MultilayerPerceptronRegressionModel fromSaved(String uid, SavedModel m) {
    MultilayerPerceptronRegressionModel model = new MultilayerPerceptronRegressionModel(uid,
        m.network(), m.weights(), m.scaling(), m.features(),
        m.network().outputWidth() == 1 ? List.of() : m.outputs(),
        TrainingSummary.fromJson(m.training()));
    model.set(model.labelCol(), m.label());
    model.set(model.outputActivation(),
        m.network().layer(m.network().depth()).activation().label());
    StringBuilder hidden = new StringBuilder();
    for (int l = 1; l < m.network().depth(); l++) {
      hidden.append(l == 1 ? "" : ",").append(m.network().layer(l).activation().label());
    }
    if (hidden.length() > 0) {
      model.set(model.hiddenActivation(), hidden.toString());
    }
    return model;
  }

  /** Spark ML's metadata JSON of this model (class, uid, Params). */
  public String metadataJson() {
    return SparkCompat.metadataJson(this, sparkSessionOrActive());
  }

  private static org.apache.spark.sql.SparkSession sparkSessionOrActive() {
    return org.apache.spark.sql.SparkSession.active();
  }

  @Override public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<MultilayerPerceptronRegressionModel> read() {
    return new Reader();
  }

  public static MultilayerPerceptronRegressionModel load(String path) {
    return read().load(path);
  }

  /** Whether Spark Connect's saveToLocal/loadFromLocal is under way on this thread. */
  private static boolean localMode() {
    return SparkCompat.localSavingMode();
  }

  private static FileSystem fileSystem(String path, Configuration conf) throws IOException {
    return localMode() ? HadoopFiles.local(conf) : HadoopFiles.fileSystem(new Path(path), conf);
  }

  /** Writes metadata/ and model.json into a temporary sibling, then renames it into place. */
  private static final class Writer extends MLWriter {
    private final MultilayerPerceptronRegressionModel model;

    Writer(MultilayerPerceptronRegressionModel model) {
      this.model = model;
    }

    @Override public void save(String path) throws IOException {
      Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
      FileSystem fs = fileSystem(path, conf);
      String metadata = SparkCompat.metadataJson(model, sparkSession());
      boolean local = localMode();
      SavedModel saved = model.toSaved();
      Map<Path, String> inputs = new java.util.LinkedHashMap<>();
      for (String file : model.trainingFiles) {
        inputs.put(new Path(file), "the data this model was trained on (" + file + ")");
      }
      String place = OutputTarget.checkPlace(fs.makeQualified(new Path(path)), inputs, false, null,
          null);
      if (place != null) {
        throw new IOException(path + ": " + place + "; refusing to replace it");
      }
      try {
        AtomicDir.write(fs, new Path(path), shouldOverwrite(), OutputTarget.Kind.ANY,
            (f, dir) -> ModelDir.writeInto(f, dir, metadata, local, saved));
      } catch (OutputException e) {
        throw new IOException(e.getMessage() + (e.kind() == OutputException.Kind.EXISTS
            ? "; use write().overwrite().save(path) to replace it" : ""), e);
      }
    }

    /** Writes into {@code path} directly (Spark calls {@link #save}, which is atomic). */
    @Override public void saveImpl(String path) {
      try {
        Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
        FileSystem fs = fileSystem(path, conf);
        fs.mkdirs(new Path(path));
        ModelDir.writeInto(fs, new Path(path), SparkCompat.metadataJson(model,
            sparkSession()), localMode(), model.toSaved());
      } catch (IOException e) {
        throw new OutputException(OutputException.Kind.FAILED, path, path + ": cannot write: "
            + HadoopFiles.firstLine(e.getMessage()), e);
      }
    }
  }

  /** Reads what {@link Writer} wrote, or a directory with only a model.json. */
  private static final class Reader extends MLReader<MultilayerPerceptronRegressionModel> {
    @Override public MultilayerPerceptronRegressionModel load(String path) {
      ModelDir.Contents c;
      try {
        c = ModelDir.read(fileSystem(path, sparkSession().sparkContext().hadoopConfiguration()),
            new Path(path));
      } catch (IOException e) {
        throw new io.sparkbackprop.errors.FileFormatException(path + ": cannot read: "
            + HadoopFiles.firstLine(e.getMessage()));
      }
      if (c.metadataJson() == null) {
        return fromSaved(Identifiable.randomUID("mlpReg"), c.model());
      }
      DefaultParamsReader.Metadata md = org.apache.spark.ml.util.DefaultParamsReader$.MODULE$
          .parseMetadata(c.metadataJson(), CLASS);
      MultilayerPerceptronRegressionModel model = fromSaved(md.uid(), c.model());
      md.getAndSetParams(model, scala.Option.empty());
      return model;
    }
  }
}
