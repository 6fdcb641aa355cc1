package io.sparkbackprop.cli;

import io.sparkbackprop.io.AtomicDir;
import io.sparkbackprop.io.HadoopFiles;
import io.sparkbackprop.io.ModelDir;
import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.io.WeightsFile;
import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;
import io.sparkbackprop.ml.MultilayerPerceptronRegressor;
import io.sparkbackprop.ml.RegressionMetrics;
import io.sparkbackprop.ml.TrainingListener;
import io.sparkbackprop.ml.TrainingStart;
import io.sparkbackprop.ml.TrainingSummary;
import io.sparkbackprop.nn.blas.Blas;
import io.sparkbackprop.nn.ElementWise;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.optim.Iteration;
import io.sparkbackprop.spark.ColumnNames;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train}: a thin layer over {@link MultilayerPerceptronRegressor}. Reads the Parquet
 * table, assembles the chosen numeric columns into a Vector, maps the options onto the
 * estimator's Params ({@link ParamOptions}: an option's descriptionKey names its Param), calls
 * {@code fit}, and writes the model directory atomically: Spark ML's metadata, model.json,
 * history.csv and loss.png.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = CommonOptions.Version.class,
    name = "train", sortOptions = false, showDefaultValues = true,
    defaultValueProvider = ParamOptions.class,
    description = "Trains a network on a Parquet table by distributed gradient descent.%n"
        + "objective: J(w) = (1/n) sum_i (y_i - yhat_i)^2 over the (standardized) training rows"
        + " (+ l2 * sum W^2); step w -= lr * dJ/dw")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Parquet file or directory (any path or glob Spark reads)")
  String input;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "model directory to write (metadata/, model.json, history.csv, loss.png)")
  String model;

  @Option(names = "--overwrite", description = "replace an existing model directory")
  boolean overwrite;

  @Option(names = "--label", paramLabel = "COL[,COL...]", descriptionKey = "labelCol")
  String label;

  @Option(names = "--weight", paramLabel = "COL", descriptionKey = "weightCol")
  String weight;

  @Option(names = "--features", split = ",", paramLabel = "COL",
      description = "feature columns in order: numbers (any numeric type, booleans), or one Vector"
          + " or array column (default: every column but the label and --exclude's; a column"
          + " that is not a number is then an error)")
  List<String> features;

  @Option(names = "--exclude", split = ",", paramLabel = "COL",
      description = "columns that are not features, when --features is not given")
  List<String> exclude = new java.util.ArrayList<>();

  @ArgGroup(exclusive = true)
  Shape shape;

  static final class Shape {
    @Option(names = "--layers", split = ",", paramLabel = "W",
        description = "all widths, input and output included (as MLlib's layers), e.g. 10,64,64,1")
    int[] layers;

    @Option(names = "--hidden", split = ",", paramLabel = "W",
        description = "hidden widths only: input from the features, one output (default: 16)")
    int[] hidden;
  }

  @Option(names = "--activation", paramLabel = "NAME[,NAME...]",
      description = "hidden layers' activation (identity, sigmoid, tanh, relu), or one per hidden"
          + " layer, or one per layer (the last is the output's); default: relu")
  String activation;

  @Option(names = "--output-activation", paramLabel = "NAME", descriptionKey = "outputActivation")
  String outputActivation;

  @Option(names = "--optimizer", paramLabel = "NAME", descriptionKey = "solver")
  String solver;

  @Option(names = "--lr", paramLabel = "RATE", descriptionKey = "stepSize")
  Double lr;

  @Option(names = "--lr-schedule", paramLabel = "NAME", descriptionKey = "learningRateSchedule")
  String schedule;

  @Option(names = "--power-t", paramLabel = "P", descriptionKey = "powerT")
  Double powerT;

  @Option(names = "--lr-decay", paramLabel = "F", descriptionKey = "decayFactor")
  Double decayFactor;

  @Option(names = "--lr-step", paramLabel = "K", descriptionKey = "decayEvery")
  Integer decayEvery;

  @Option(names = "--batch-fraction", paramLabel = "F", descriptionKey = "miniBatchFraction")
  Double batchFraction;

  @Option(names = "--batch-size", paramLabel = "N", descriptionKey = "batchSize")
  Integer batchSize;

  @Option(names = "--local-steps", paramLabel = "K", descriptionKey = "localSteps")
  Integer localSteps;

  @Option(names = "--momentum", paramLabel = "MU", descriptionKey = "momentum")
  Double momentum;

  @Option(names = "--nesterov", negatable = true, fallbackValue = "true",
      descriptionKey = "nesterov")
  Boolean nesterov;

  @Option(names = "--beta1", paramLabel = "B", descriptionKey = "beta1")
  Double beta1;

  @Option(names = "--beta2", paramLabel = "B", descriptionKey = "beta2")
  Double beta2;

  @Option(names = "--epsilon", paramLabel = "E", descriptionKey = "epsilon")
  Double epsilon;

  @Option(names = "--lbfgs-memory", paramLabel = "M", descriptionKey = "lbfgsMemory")
  Integer lbfgsMemory;

  @Option(names = "--l2", paramLabel = "ALPHA", descriptionKey = "regParam")
  Double l2;

  @Option(names = "--clip-norm", paramLabel = "C", descriptionKey = "clipNorm")
  Double clipNorm;

  @Option(names = "--patience", paramLabel = "K", descriptionKey = "patience")
  Integer patience;

  @Option(names = "--min-delta", paramLabel = "D", descriptionKey = "minDelta")
  Double minDelta;

  @Option(names = "--iterations", paramLabel = "N", descriptionKey = "maxIter")
  Integer iterations;

  @Option(names = "--tol", paramLabel = "T", descriptionKey = "tol")
  Double tol;

  @Option(names = "--n-iter-no-change", paramLabel = "K", descriptionKey = "nIterNoChange")
  Integer nIterNoChange;

  @Option(names = "--seed", paramLabel = "N", descriptionKey = "seed")
  Long seed;

  @Option(names = "--init", paramLabel = "FILE",
      description = "start from a saved model (directory or model.json) or a weights JSON"
          + " (gradcheck's format); its layers are the default")
  String init;

  @Option(names = "--block-size", paramLabel = "N", descriptionKey = "blockSize")
  Integer blockSize;

  @Option(names = "--partitions", paramLabel = "N", descriptionKey = "numPartitions")
  Integer partitions;

  @Option(names = "--tree-depth", paramLabel = "N", descriptionKey = "aggregationDepth")
  Integer treeDepth;

  @Option(names = "--combine", paramLabel = "MODE", descriptionKey = "combineMode")
  String combine;

  @Option(names = "--precision", paramLabel = "TYPE", descriptionKey = "precision")
  String precision;

  @Option(names = "--standardize", negatable = true, fallbackValue = "true",
      descriptionKey = "standardization")
  Boolean standardize;

  @Option(names = "--standardize-label", negatable = true, fallbackValue = "true",
      descriptionKey = "standardizeLabel")
  Boolean standardizeLabel;

  @Option(names = "--storage-level", paramLabel = "LEVEL", descriptionKey = "storageLevel")
  String storageLevel;

  @Option(names = "--drop-invalid",
      description = "skip rows with a null, NaN or infinite value (default: refuse the table)")
  boolean dropInvalid;

  @ArgGroup(exclusive = true)
  Validation validation;

  static final class Validation {
    @Option(names = "--validation-fraction", paramLabel = "F",
        descriptionKey = "validationFraction")
    Double fraction;

    @Option(names = "--validation", paramLabel = "PATH",
        description = "validate on another Parquet table with the same columns")
    String path;
  }

  @Option(names = "--split-seed", paramLabel = "N", descriptionKey = "splitSeed")
  Long splitSeed;

  @Option(names = "--eval-every", paramLabel = "K", descriptionKey = "evalEvery")
  Integer evalEvery;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR", descriptionKey = "checkpointDir")
  String checkpointDir;

  @Option(names = "--checkpoint-every", paramLabel = "K", descriptionKey = "checkpointInterval")
  Integer checkpointEvery;

  @Option(names = "--resume", fallbackValue = "true", descriptionKey = "resume")
  Boolean resume;

  @Option(names = "--log-every", paramLabel = "K", defaultValue = "10",
      description = "a progress line every K iterations, and the first and last")
  int logEvery;

  @Mixin CommonOptions.Master master;

  /** The label column(s), as --label named them, for the progress lines. */
  private String labelText = "";

  /** The solver and its settings, as the fit described them. */
  private String solverDescription = "";

  /**
   * The training table as the estimator reads it, and what it was made from.
   *
   * @param table the input as read
   * @param data the rows the estimator fits (features assembled, labels too when several)
   * @param labels the label column(s) as named
   * @param used the feature columns
   * @param vectorFeatures whether the features came as one Vector column
   * @param d the number of features
   */
  private record Prepared(Dataset<Row> table, Dataset<Row> data, List<String> labels,
      List<String> used, boolean vectorFeatures, int d) {}

  @Override public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (logEvery < 1) {
      throw new UsageException("train: --log-every must be at least 1, got " + logEvery);
    }
    MultilayerPerceptronRegressor est = new MultilayerPerceptronRegressor();
    ParamOptions.apply(spec, est);
    WeightsFile.Loaded initial = init == null ? null : readInit(init);

    SparkSession spark = Sessions.get("train", master.url);
    java.util.Map<String, String> inputs = new java.util.LinkedHashMap<>();
    inputs.put("--input", input);
    inputs.put("--validation", validation == null ? null : validation.path);
    FileSystem fs = Outputs.check(spark, "--model", model, overwrite, OutputTarget.Kind.MODEL,
        inputs);
    out.println("train: Spark " + spark.version() + ", master " + spark.sparkContext().master()
        + ", BLAS " + Blas.description() + ", element-wise " + ElementWise.get().name());
    Prepared p = prepare(spark, est);
    Dataset<Row> data = p.data();
    if (validation != null && validation.path != null) {
      data = withValidation(spark, est, p);
    }
    configure(est, p, initial);
    est.setListener(new Progress(out, est));

    MultilayerPerceptronRegressionModel m = est.fit(data);
    report(out, est, m);
    write(fs, m, m.summary());
    out.println("model written to " + fs.makeQualified(new Path(model)));
    return 0;
  }

  /**
   * Reads --input, resolves the label, weight and feature columns, and assembles the features
   * (and several labels) into Vector columns; sets the estimator's column Params.
   */
  private Prepared prepare(SparkSession spark, MultilayerPerceptronRegressor est) {
    Dataset<Row> table = Inputs.read(spark, input);
    List<String> labels = Inputs.labels(input, table, est.getLabelCol());
    String labelCol = Inputs.column(input, table, labels.get(0), "label");
    est.setLabelCol(labelCol);
    labelText = labels.size() == 1 ? labelCol : String.join(",", labels);
    List<String> notFeatures = new java.util.ArrayList<>(exclude);
    for (String y : labels.subList(1, labels.size())) {
      if (features != null && features.contains(y)) {
        throw new UsageException(input + ": the label '" + y + "' is also named as a feature");
      }
      notFeatures.add(y);
    }
    if (est.getWeightCol() != null) {
      String weightCol = Inputs.column(input, table, est.getWeightCol(), "weight");
      est.setWeightCol(weightCol);
      notFeatures.add(weightCol);
    }
    Inputs.Chosen chosen = Inputs.features(input, table, labelCol, features, notFeatures);
    List<String> used = chosen.columns();
    String featuresCol;
    Dataset<Row> data;
    int d;
    if (chosen.vector() != null) {
      featuresCol = chosen.vector();
      data = table;
      d = Inputs.width(input, table, featuresCol);
    } else {
      featuresCol = Inputs.freeName(table, "features");
      data = Inputs.assemble(table, used, featuresCol);
      d = used.size();
    }
    est.setFeaturesCol(featuresCol);
    if (labels.size() > 1) {
      // Several label columns: one Vector label, its ML attributes naming the outputs.
      labelCol = Inputs.freeName(data, "label");
      data = Inputs.assemble(data, labels, labelCol);
      est.setLabelCol(labelCol);
    }
    return new Prepared(table, data, labels, used, chosen.vector() != null, d);
  }

  /**
   * The training rows and --validation's, assembled alike, in one table with an indicator
   * column (the validation rows' weights: the same column when the file has it, else 1).
   */
  private Dataset<Row> withValidation(SparkSession spark, MultilayerPerceptronRegressor est,
      Prepared p) {
    String featuresCol = est.getFeaturesCol();
    String labelCol = est.getLabelCol();
    String weightCol = est.getWeightCol();
    Dataset<Row> other = Inputs.read(spark, validation.path);
    Inputs.features(validation.path, other, p.labels().get(0), p.used(), List.of());
    if (!p.vectorFeatures()) {
      other = Inputs.assemble(other, p.used(), featuresCol);
    }
    if (p.labels().size() > 1) {
      Inputs.requireNumeric(validation.path, other, p.labels(), "label");
      other = Inputs.assemble(other, p.labels(), labelCol);
    }
    String indicator = Inputs.freeName(p.data(), "is_validation");
    est.setValidationIndicatorCol(indicator);
    Column f = ColumnNames.col(featuresCol);
    Column y = ColumnNames.col(labelCol);
    if (weightCol == null) {
      return p.data().select(f, y).withColumn(indicator, functions.lit(false))
          .unionByName(other.select(f, y).withColumn(indicator, functions.lit(true)));
    }
    Column w = ColumnNames.col(weightCol).cast("double").as(weightCol);
    Column vw = java.util.Arrays.asList(other.columns()).contains(weightCol) ? w
        : functions.lit(1.0).as(weightCol);
    return p.data().select(f, y, w).withColumn(indicator, functions.lit(false))
        .unionByName(other.select(f, y, vw).withColumn(indicator, functions.lit(true)));
  }

  /** The layers, activations, --init weights and --drop-invalid on the estimator. */
  private void configure(MultilayerPerceptronRegressor est, Prepared p,
      WeightsFile.Loaded initial) {
    // One label column (as resolved in the table) may be a Vector of several outputs.
    String labelCol = est.getLabelCol();
    int outputs = p.labels().size() == 1 && Inputs.vectorLabel(p.table(), labelCol)
        ? Inputs.width(input, p.table(), labelCol) : p.labels().size();
    int[] widths = widths(p.d(), p.used(), initial, p.labels(), outputs);
    est.setLayers(widths);
    setActivations(est, widths.length - 1);
    if (initial != null) {
      Network net = est.network();
      if (!initial.network().equals(net)) {
        throw new UsageException("train: --init " + init + " holds a network "
            + initial.network() + ", not " + net);
      }
      est.setInitialWeights(Vectors.dense(initial.weights()));
    }
    if (dropInvalid) {
      est.setHandleInvalid("skip");
    }
  }

  /** The last progress line (when not printed yet), why training stopped, the final metrics. */
  private void report(PrintWriter out, MultilayerPerceptronRegressor est,
      MultilayerPerceptronRegressionModel m) {
    TrainingSummary s = m.summary();
    Iteration last = s.history().get(s.history().size() - 1);
    if (last.iteration() % logEvery != 0 && last.iteration() != 1
        && last.iteration() != est.getMaxIter()) {
      progressLine(out, last, est.getMaxIter());
    }
    out.printf("stopped: %s; final objective %.10g (%.2f s)%n", s.stopReason(), s.finalObjective(),
        s.seconds());
    out.printf("final metrics (label units)  %10s %12s %12s %10s%n", "rows", "RMSE", "MAE", "R2");
    metricsLines(out, "training", s.training(), m.outputNames());
    if (s.validation() != null) {
      metricsLines(out, "validation", s.validation(), m.outputNames());
    }
  }

  /** Param names to this command's options, for the library's messages. */
  java.util.Map<String, String> optionNames() {
    java.util.Map<String, String> names = new java.util.LinkedHashMap<>(ParamOptions.names(spec));
    names.put("layers", "--layers");
    names.put("hiddenActivation", "--activation");
    names.put("handleInvalid", "--drop-invalid");
    names.put("validationIndicatorCol", "--validation");
    return names;
  }

  /**
   * The widths: --layers, else the --init file's, else the features, --hidden (16) and the
   * number of label columns.
   */
  private int[] widths(int d, List<String> used, WeightsFile.Loaded initial, List<String> labels,
      int outputs) {
    int[] w;
    if (shape != null && shape.layers != null) {
      w = shape.layers;
    } else if ((shape == null || shape.hidden == null) && initial != null) {
      w = initial.network().widths();
    } else {
      int[] hidden = shape != null && shape.hidden != null ? shape.hidden : new int[] {16};
      w = new int[hidden.length + 2];
      w[0] = d;
      System.arraycopy(hidden, 0, w, 1, hidden.length);
      w[w.length - 1] = outputs;
    }
    if (w.length >= 2 && w[w.length - 1] != outputs) {
      throw new UsageException("train: --layers must end in " + outputs + " (one output per"
          + " label " + (outputs == labels.size() ? "column: " + String.join(",", labels)
          : "value of '" + labels.get(0) + "'") + "), got " + Network.joinWidths(w, ","));
    }
    if (w.length >= 2 && w[0] != d) {
      throw new UsageException("train: --layers " + Network.joinWidths(w, ",") + " takes " + w[0]
          + " inputs but there are " + d + " features (" + String.join(",", used)
          + (used.size() == 1 && d > 1 ? ": " + d + " values a row" : "") + ")");
    }
    return w;
  }

  /**
   * --activation: one name for every hidden layer, one per hidden layer, or one per layer (the
   * last then sets the output's, unless --output-activation does).
   */
  private void setActivations(MultilayerPerceptronRegressor est, int layers) {
    if (activation == null) {
      return;
    }
    String[] names = activation.split(",");
    if (names.length == layers && layers > 1) {
      est.setHiddenActivation(String.join(",", java.util.Arrays.copyOf(names, layers - 1)));
      if (outputActivation == null) {
        est.setOutputActivation(names[layers - 1]);
      }
    } else if (layers > 1) {
      est.setHiddenActivation(activation);
    } else if (outputActivation == null && names.length == 1) {
      est.setOutputActivation(names[0]);
    }
  }

  private static WeightsFile.Loaded readInit(String path) {
    java.nio.file.Path p = java.nio.file.Path.of(path);
    if (Files.isDirectory(p)) {
      p = p.resolve(SavedModel.FILE);
    }
    if (!Files.exists(p)) {
      throw new UsageException("train: --init " + path + ": no such file");
    }
    return WeightsFile.read(p);
  }

  private static void progressLine(PrintWriter out, Iteration it, int max) {
    out.printf("iteration %5d/%d  objective %.10g  |g| %.4g  %.3f s%s%n", it.iteration(), max,
        it.objective(), it.gradientNorm(), it.seconds(), Double.isNaN(it.validationRmse())
            ? "" : String.format("  validation RMSE %.6g", it.validationRmse()));
    out.flush();
  }

  private static void metricsLine(PrintWriter out, String name, RegressionMetrics m) {
    out.printf("  %-26s %10d %12.6g %12.6g %10.6f%n", name, m.rows(), m.rmse(), m.mae(), m.r2());
  }

  /** One line; for several outputs, one per output and then their mean. */
  private static void metricsLines(PrintWriter out, String name, RegressionMetrics m,
      List<String> outputs) {
    for (int k = 0; k < m.outputs().size(); k++) {
      metricsLine(out, name + " " + outputs.get(k), m.outputs().get(k));
    }
    metricsLine(out, m.outputs().isEmpty() ? name : name + " mean of outputs", m);
  }

  /** The model directory, atomically: metadata/ and model.json, history.csv, loss.png. */
  private void write(FileSystem fs, MultilayerPerceptronRegressionModel m, TrainingSummary s) {
    String metadata = m.metadataJson();
    SavedModel saved = m.toSaved();
    boolean val = s.validation() != null;
    String subtitle = solverDescription + ", " + s.trainingRows()
        + " training rows" + (val ? ", " + s.validationRows() + " validation rows" : "") + " of "
        + new Path(input).getName();
    AtomicDir.write(fs, new Path(model), overwrite, OutputTarget.Kind.MODEL, (f, dir) -> {
      ModelDir.writeInto(f, dir, metadata, false, saved);
      HadoopFiles.writeString(f, new Path(dir, History.FILE), History.csv(s.history(), val));
      try (OutputStream png = f.create(new Path(dir, LossPlot.FILE))) {
        LossPlot.write(png, m.network(), s.history(), val, m.scaling().labelScale(), subtitle);
      }
    });
  }

  /** The progress lines: what was read, then every logEvery iterations. */
  private final class Progress implements TrainingListener {
    private final PrintWriter out;
    private final MultilayerPerceptronRegressor est;

    Progress(PrintWriter out, MultilayerPerceptronRegressor est) {
      this.out = out;
      this.est = est;
    }

    @Override public void onStart(TrainingStart s) {
      out.println("data: " + s.trainingRows() + " rows" + (s.invalidRows() > 0 ? " ("
          + s.invalidRows() + " invalid rows dropped)" : "") + ", " + s.features() + " features,"
          + " label '" + labelText + "', " + s.partitions() + " partitions, blocks of up to "
          + s.blockSize() + " rows");
      if (s.validationRows() > 0) {
        out.println("validation: " + s.validationRows() + " rows" + (validation.path == null
            ? " held out of " + input + " (fraction " + est.getValidationFraction()
                + ", split seed " + est.getSplitSeed() + ")"
            : " from " + validation.path));
      }
      s.warnings().forEach(out::println);
      // A row: d features, k labels, and its weight with a weight column.
      int width = s.features() + est.getLayers()[est.getLayers().length - 1]
          + (est.getWeightCol() != null ? 1 : 0);
      out.printf("cached training blocks: %.1f MB (%.2f x the %d x %d doubles of %s)%n",
          s.cachedBytes() / 1e6, s.cachedBytes() / (8.0 * width * s.trainingRows()),
          s.trainingRows(), width, est.getWeightCol() != null ? "features, label and weight"
              : "features and label");
      solverDescription = s.solver();
      out.println("network " + s.network() + " (" + s.weights() + " weights); " + s.solver()
          + ", up to " + s.maxIterations() + " iterations");
      if (s.resumedAfter() > 0) {
        out.println("resumed from the checkpoint after iteration " + s.resumedAfter());
      } else if (est.getResume()) {
        out.println("no checkpoint in " + est.getCheckpointDir() + ": starting from iteration 1");
      }
      out.flush();
    }

    @Override public void onIteration(Iteration it, int max) {
      int t = it.iteration();
      if (t == 1 || t == max || t % logEvery == 0) {
        progressLine(out, it, max);
      }
    }
  }
}
