package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.model.AtomicDir;
import io.sparkbackprop.model.LossPlot;
import io.sparkbackprop.model.Metrics;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.model.Scaling;
import io.sparkbackprop.model.WeightsFile;
import io.sparkbackprop.nn.Blas;
import io.sparkbackprop.nn.ElementWise;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.optim.UpdateRule;
import io.sparkbackprop.spark.Checkpoint;
import io.sparkbackprop.spark.LbfgsTrainer;
import io.sparkbackprop.optim.StoppingRule;
import io.sparkbackprop.spark.Combine;
import io.sparkbackprop.spark.DistributedObjective;
import io.sparkbackprop.spark.Scoring;
import io.sparkbackprop.spark.Sessions;
import io.sparkbackprop.spark.Standardize;
import io.sparkbackprop.spark.Trainer;
import io.sparkbackprop.spark.TrainingData;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** {@code train}: distributed full-batch gradient descent on a Parquet table; saves a model directory. */
final class TrainCommand {
  // Defaults, declared once.
  static final String LABEL = "label";
  static final String ACTIVATION = "relu";
  static final String OUTPUT_ACTIVATION = "identity";
  static final double LR = 0.1;
  static final int ITERATIONS = 500;
  static final double TOL = 0.0;
  static final long SEED = 42;
  static final int BLOCK_SIZE = TrainingData.BLOCK_SIZE;
  static final int TREE_DEPTH = 2;
  static final int LOG_EVERY = 10;

  private static final Set<String> VALUED = Set.of("input", "label", "features", "layers", "hidden",
      "activation", "output-activation", "lr", "iterations", "tol", "seed", "block-size",
      "tree-depth", "partitions", "model", "init", "master", "log-every", "combine",
      "validation-fraction", "validation", "eval-every", "split-seed", "optimizer",
      "batch-fraction", "momentum", "beta1", "beta2", "epsilon", "lr-schedule", "power-t",
      "lr-decay", "lr-step", "l2", "clip-norm", "patience", "min-delta", "lbfgs-memory",
      "checkpoint-dir", "checkpoint-every");
  private static final Set<String> SWITCHES = Set.of("help", "overwrite", "drop-invalid",
      "no-standardize", "standardize-label", "no-standardize-label", "nesterov", "resume");

  private TrainCommand() {}

  static final String HELP = """
      usage: train --input PARQUET --model DIR [options]
        --input PATH             Parquet file or directory (any path Spark reads)
        --label COL              label column (default label)
        --features A,B,...       feature columns in order (default: every numeric column but the label)
        --layers 10,64,64,1      all widths, input and output included (as MLlib's layers), or
        --hidden 64,64           hidden widths only: input from the features, one output (default 16)
        --activation NAME[,..]   hidden activation, or one per layer (identity, sigmoid, tanh, relu;
                                 default relu)
        --output-activation N    output layer's activation (default identity)
        --optimizer NAME         gd (default: full-batch gradient descent), sgd (gd on a Bernoulli
                                 sample of --batch-fraction of the rows each iteration), adam, lbfgs
                                 (Breeze's L-BFGS; full batch)
        --lr RATE                learning rate of w -= lr * g (default 0.1; adam 0.01)
        --lr-schedule NAME       constant (default), invscaling (lr / t^power-t), step (lr *
                                 lr-decay^floor((t-1)/lr-step))
        --power-t P              invscaling's power (default 0.5)
        --lr-decay F, --lr-step K  step decay's factor (default 0.5) and period (default 100)
        --batch-fraction F       rows sampled per iteration, for sgd and adam (default: sgd 0.1,
                                 others 1 = full batch); seeded by --seed, iteration and partition
        --momentum MU            momentum for gd/sgd (default 0: none); --nesterov for Nesterov's
        --beta1, --beta2, --epsilon  Adam's settings (defaults 0.9, 0.999, 1e-8)
        --lbfgs-memory M         L-BFGS correction pairs (default 7)
        --l2 ALPHA               adds ALPHA * sum of squared weights (not biases) to the objective
        --clip-norm C            clip the gradient to norm C before each step (default 0: off)
        --patience K             with validation data: stop after K evaluations without an
                                 improvement of validation RMSE by --min-delta (default 0: off);
                                 the best weights are kept
        --min-delta D            the improvement that counts (default 0)
        --iterations N           maximum iterations (default 500)
        --tol T                  stop when the objective's relative change is below T (default 0: off)
        --seed N                 seed of the initial weights (default 42)
        --init FILE              start from a saved model.json or a weights JSON (gradcheck format)
        --block-size N           rows per cached block (default 256; 1024 when every layer
                                 after the input is at most 8 wide)
        --partitions N           repartition the input to N partitions (default: as read)
        --tree-depth N           depth of the aggregation tree (default 2)
        --combine MODE           ordered (default: fixed order, bitwise reproducible) or spark-tree
                                 (Spark's treeAggregate, completion order)
        --no-standardize         do not standardize features (default: standardize, stored in model)
        --standardize-label      standardize the label too (default; predictions are mapped back)
        --no-standardize-label   train on the label's own scale
        --drop-invalid           skip rows with null/NaN/infinite values (default: error)
        --model DIR              where to write the model directory (model.json, history.csv,
                                 loss.png)
        --overwrite              replace an existing model directory
        --log-every K            progress line every K iterations (default 10)
        --validation-fraction F  hold out a share F of the rows for validation: a deterministic split
                                 by a hash of (--split-seed, the row's values), disjoint from training
        --validation PATH        or validate on another Parquet table (same columns)
        --split-seed N           seed of the validation split (default: --seed)
        --eval-every K           validation RMSE every K iterations (default 1 when the validation
                                 rows are no more than the training rows, else --log-every)
        --checkpoint-dir DIR     write a checkpoint (weights, optimizer state, iteration, history)
                                 there every --checkpoint-every K iterations (default 10)
        --resume                 continue from the checkpoint in --checkpoint-dir (same options)
        --master URL             Spark master (default: spark-submit's, else local[*])
      objective: J(w) = (1/n) sum_i (y_i - yhat_i)^2 over the (standardized) training rows; step w -= lr * dJ/dw
      """;

  static int run(String[] argv, PrintStream out) throws Exception {
    Args a = Args.parse("train", argv, VALUED, SWITCHES);
    if (a.flag("help")) {
      out.print(HELP);
      return 0;
    }
    String input = a.require("input");
    Path modelDir = Path.of(a.require("model"));
    boolean overwrite = a.flag("overwrite");
    AtomicDir.checkWritable(modelDir, overwrite, "model");
    String label = a.get("label", LABEL);
    List<String> features = a.has("features")
        ? Arrays.stream(a.require("features").split(",")).map(String::trim).toList() : null;
    double lr = a.getDouble("lr", "adam".equals(a.get("optimizer", "gd")) ? 0.01 : LR,
        Double.MIN_VALUE, 1e6);
    int iterations = a.getInt("iterations", ITERATIONS, 1);
    double tol = a.getDouble("tol", TOL, 0, 1);
    long seed = a.getLong("seed", SEED);
    int treeDepth = a.getInt("tree-depth", TREE_DEPTH, 1);
    int partitions = a.getInt("partitions", 0, 1);
    int logEvery = a.getInt("log-every", LOG_EVERY, 1);
    Combine combine;
    try {
      combine = Combine.parse(a.get("combine", "ordered"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("train: --combine: " + e.getMessage());
    }
    if (a.has("layers") && a.has("hidden")) {
      throw new UsageException("train: give --layers or --hidden, not both");
    }
    if (features != null && features.isEmpty()) {
      throw new UsageException("train: --features is empty");
    }
    if (a.has("validation-fraction") && a.has("validation")) {
      throw new UsageException("train: give --validation-fraction or --validation, not both");
    }
    double valFraction = a.has("validation-fraction")
        ? a.getDouble("validation-fraction", 0, 0, 1) : 0;
    if (a.has("validation-fraction") && !(valFraction > 0 && valFraction < 1)) {
      throw new UsageException("train: --validation-fraction must be strictly between 0 and 1, got "
          + a.get("validation-fraction", null));
    }
    long splitSeed = a.getLong("split-seed", seed);
    Optimizers.Choice opt = Optimizers.parse(a, lr);
    boolean standardizeLabel = !a.flag("no-standardize-label");
    if (a.flag("resume") && !a.has("checkpoint-dir")) {
      throw new UsageException("train: --resume needs --checkpoint-dir");
    }
    if (opt.patience() > 0 && !a.has("validation") && !a.has("validation-fraction")) {
      throw new UsageException("train: --patience needs validation data (--validation-fraction or"
          + " --validation)");
    }
    // Check what can be checked before Spark starts.
    WeightsFile.Loaded init = a.has("init") ? readInit(a.require("init")) : null;
    int blockSize = a.has("block-size") ? a.getInt("block-size", BLOCK_SIZE, 1)
        : TrainingData.defaultBlockSize(widths(a, 0, init));

    SparkSession spark = Sessions.get("train", a.get("master", null));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    out.println("train: Spark " + spark.version() + ", master " + sc.master() + ", BLAS "
        + Blas.name() + ", element-wise " + ElementWise.get().name());
    TrainingData.Split split = valFraction > 0
        ? new TrainingData.Split(splitSeed, valFraction, false) : null;
    TrainingData.Loaded data = TrainingData.load(spark, input, label, features, partitions,
        blockSize, a.flag("drop-invalid"), split);
    TrainingData.Loaded val = null;
    if (split != null) {
      val = TrainingData.load(spark, input, label, data.features(), partitions, blockSize,
          a.flag("drop-invalid"), split.other());
    } else if (a.has("validation")) {
      val = TrainingData.load(spark, a.require("validation"), label, data.features(), partitions,
          blockSize, a.flag("drop-invalid"));
    }
    int d = data.features().size();
    int[] widths = widths(a, d, init);
    String activation = a.get("activation", ACTIVATION);
    // One name per layer sets the output's too; otherwise the output defaults to identity.
    boolean perLayer = activation.split(",").length == widths.length - 1 && widths.length > 2;
    Network net = Cli.network("train", widths, activation,
        a.get("output-activation", perLayer ? null : OUTPUT_ACTIVATION));
    if (net.inputWidth() != d) {
      throw new UsageException("train: --layers " + Network.joinWidths(widths, ",") + " takes "
          + net.inputWidth() + " inputs but there are " + d + " features (" + String.join(",", data.features()) + ")");
    }
    if (net.outputWidth() != 1) {
      throw new UsageException("train: one label column needs an output width of 1, --layers ends in "
          + net.outputWidth());
    }
    double[] w0;
    if (init != null) {
      if (!init.network().equals(net)) {
        throw new UsageException("train: --init " + a.require("init") + " holds a network "
            + init.network() + ", not " + net);
      }
      w0 = init.weights();
    } else {
      w0 = net.initialWeights(seed);
    }
    out.println("data: " + data.rows() + " rows" + (data.dropped() > 0 ? " (" + data.dropped()
        + " invalid rows dropped)" : "") + ", " + d + " features, label '" + label + "', "
        + data.blocks().getNumPartitions() + " partitions, blocks of up to " + blockSize + " rows");
    if (val != null) {
      out.println("validation: " + val.rows() + " rows" + (split != null
          ? " held out of " + input + " (fraction " + valFraction + ", split seed " + splitSeed + ")"
          : " from " + a.require("validation")));
    }

    Scaling scaling = Standardize.fit(data.blocks(), data.features(), !a.flag("no-standardize"),
        standardizeLabel, out);
    JavaRDD<io.sparkbackprop.spark.Block> blocks = data.blocks();
    if (!scaling.isIdentity()) {
      blocks = Standardize.apply(data.blocks(), scaling);
      data.blocks().unpersist(false);
    }
    JavaRDD<io.sparkbackprop.spark.Block> valBlocks = null;
    if (val != null) {
      valBlocks = val.blocks();
      if (!scaling.isIdentity()) {
        valBlocks = Standardize.apply(val.blocks(), scaling);
        val.blocks().unpersist(false);
      }
    }
    int evalEvery = a.getInt("eval-every",
        val != null && val.rows() <= data.rows() ? 1 : logEvery, 1);
    long cached = TrainingData.cachedBytes(blocks);
    out.printf("cached training blocks: %.1f MB (%.2f x the %d x %d doubles of features and label)%n",
        cached / 1e6, cached / (8.0 * (d + 1) * data.rows()), data.rows(), d + 1);
    UpdateRule rule = opt.rule();
    out.println("network " + net + " (" + net.size() + " weights); " + opt.describe()
        + ", up to " + iterations + " iterations");

    DistributedObjective objective = new DistributedObjective(sc, blocks, net, treeDepth, combine);
    long start = System.nanoTime();
    Trainer.Monitor monitor = null;
    if (valBlocks != null) {
      JavaRDD<io.sparkbackprop.spark.Block> vb = valBlocks;
      // forward only: one broadcast per evaluation, destroyed after it
      monitor = (t, w) -> t == 1 || t % evalEvery == 0
          ? Scoring.onBlocks(sc, vb, net, w, scaling, "train: validation at iteration " + t).rmse()
          : Double.NaN;
    }
    Path checkpoints = a.has("checkpoint-dir") ? Path.of(a.require("checkpoint-dir")) : null;
    Trainer.Options options = new Trainer.Options(iterations, tol, logEvery, opt.l2(),
        opt.clipNorm(), opt.batchFraction(), seed, opt.patience(), opt.minDelta(), checkpoints,
        a.getInt("checkpoint-every", 10, 1), Optimizers.fingerprint(argv));
    Checkpoint resume = null;
    if (a.flag("resume")) {
      resume = Checkpoint.read(checkpoints);
      if (resume == null) {
        out.println("no checkpoint in " + checkpoints + ": starting from iteration 1");
      }
    }
    Trainer.Result result = opt.lbfgs()
        ? LbfgsTrainer.train(objective, net, w0, options, opt.lbfgsMemory(), out, monitor)
        : Trainer.train(objective, net, w0, rule, new StoppingRule(iterations, tol), options, out,
            monitor, resume);
    double seconds = (System.nanoTime() - start) / 1e9;
    DistributedObjective.Value fin = objective.evaluate(result.weights(), "train: final objective");
    out.printf("stopped: %s; final objective %.10g (%.2f s)%n", result.stopReason(),
        fin.objective(), seconds);
    Metrics trainMetrics = Scoring.onBlocks(sc, blocks, net, result.weights(), scaling,
        "train: final training metrics");
    Metrics valMetrics = valBlocks == null ? null : Scoring.onBlocks(sc, valBlocks, net,
        result.weights(), scaling, "train: final validation metrics");
    out.printf("final metrics (label units)  %10s %12s %12s %10s%n", "rows", "RMSE", "MAE", "R2");
    out.printf("  training                   %10d %12.6g %12.6g %10.6f%n", trainMetrics.n(),
        trainMetrics.rmse(), trainMetrics.mae(), trainMetrics.r2());
    if (valMetrics != null) {
      out.printf("  validation                 %10d %12.6g %12.6g %10.6f%n", valMetrics.n(),
          valMetrics.rmse(), valMetrics.mae(), valMetrics.r2());
    }

    ObjectNode training = JsonNodeFactory.instance.objectNode();
    ObjectNode opts = training.putObject("options");
    opts.put("input", input);
    opts.put("label", label);
    opts.put("layers", Network.joinWidths(net.widths(), ","));
    opts.put("activations", net.toString().split(" ")[1]);
    opts.put("optimizer", opt.describe());
    opt.describeInto(opts.putObject("optimizerSettings"));
    opts.put("lr", lr);
    opts.put("iterations", iterations);
    opts.put("tol", tol);
    opts.put("seed", seed);
    opts.put("init", a.get("init", null));
    opts.put("blockSize", blockSize);
    opts.put("partitions", blocks.getNumPartitions());
    opts.put("treeDepth", treeDepth);
    opts.put("combine", combine.label());
    opts.put("standardize", !a.flag("no-standardize"));
    opts.put("standardizeLabel", standardizeLabel);
    opts.put("dropInvalid", a.flag("drop-invalid"));
    if (split != null) {
      opts.put("validationFraction", valFraction);
      opts.put("splitSeed", splitSeed);
      opts.put("split", "row to validation when u < fraction, u in [0,1) a SplitMix64 hash of"
          + " (splitSeed, the bits of its feature and label values)");
    }
    opts.put("validation", a.get("validation", null));
    opts.put("evalEvery", val == null ? null : evalEvery);
    training.put("objective", "J(w) = (1/n) sum (y - yhat)^2 over the training rows"
        + (standardizeLabel ? " (standardized label)" : ""));
    training.put("rows", data.rows());
    training.put("droppedRows", data.dropped());
    training.put("iterationsRun", result.iterations());
    training.put("stopReason", result.stopReason());
    if (result.bestIteration() > 0) {
      training.put("bestIteration", result.bestIteration());
    }
    training.put("finalObjective", fin.objective());
    ObjectNode metrics = training.putObject("metrics");
    metrics.put("units", "label units: RMSE = sqrt(mean (y - yhat)^2), MAE = mean |y - yhat|,"
        + " R2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2");
    putMetrics(metrics.putObject("train"), trainMetrics);
    if (valMetrics != null) {
      putMetrics(metrics.putObject("validation"), valMetrics);
      training.put("validationRows", valMetrics.n());
    }
    training.put("seconds", seconds);
    ObjectNode prov = training.putObject("provenance");
    prov.put("project", "spark-backprop " + SavedModel.projectVersion());
    prov.put("spark", spark.version());
    prov.put("java", System.getProperty("java.version"));
    prov.put("master", sc.master());
    prov.put("blas", Blas.name());
    prov.put("elementWise", ElementWise.get().name());
    prov.put("createdAt", Instant.now().toString());
    ArrayNode hist = training.putArray("history");
    StringBuilder csv = new StringBuilder("iteration,objective,gradient_norm,seconds"
        + (val != null ? ",validation_rmse" : "") + "\n");
    for (Trainer.Iteration it : result.history()) {
      ObjectNode h = hist.addObject();
      h.put("iteration", it.iteration());
      h.put("objective", it.objective());
      h.put("gradientNorm", it.gradientNorm());
      h.put("seconds", it.seconds());
      if (!Double.isNaN(it.validationRmse())) {
        h.put("validationRmse", it.validationRmse());
      }
      csv.append(it.iteration()).append(',').append(it.objective()).append(',')
          .append(it.gradientNorm()).append(',').append(it.seconds());
      if (val != null) {
        csv.append(',').append(Double.isNaN(it.validationRmse()) ? "" : it.validationRmse());
      }
      csv.append('\n');
    }
    int[] plotIter = new int[result.history().size()];
    double[] plotJ = new double[plotIter.length];
    double[] plotVal = val == null ? null : new double[plotIter.length];
    for (int i = 0; i < plotIter.length; i++) {
      Trainer.Iteration it = result.history().get(i);
      plotIter[i] = it.iteration();
      plotJ[i] = it.objective();
      if (plotVal != null) {
        plotVal[i] = it.validationRmse();
      }
    }
    String subtitle = opt.describe() + ", " + data.rows() + " training rows"
        + (val != null ? ", " + val.rows() + " validation rows" : "") + " of "
        + Path.of(input).getFileName();
    SavedModel model = new SavedModel(net, result.weights(), data.features(), label, scaling,
        training);
    String json = model.toJsonString();
    AtomicDir.write(modelDir, overwrite, "model", dir -> {
      Files.writeString(dir.resolve(SavedModel.FILE), json);
      Files.writeString(dir.resolve("history.csv"), csv.toString());
      LossPlot.write(dir.resolve(LossPlot.FILE), net, plotIter, plotJ, plotVal,
          scaling.labelScale(), subtitle);
    });
    out.println("model written to " + modelDir.toAbsolutePath());
    return 0;
  }

  private static void putMetrics(ObjectNode o, Metrics m) {
    o.put("rows", m.n());
    EvaluateCommand.putMetrics(o, m);
  }

  private static WeightsFile.Loaded readInit(String path) {
    Path p = Path.of(path);
    if (Files.isDirectory(p)) {
      p = p.resolve(SavedModel.FILE);
    }
    if (!Files.exists(p)) {
      throw new UsageException("train: --init " + path + ": no such file");
    }
    return WeightsFile.read(p);
  }

  private static int[] widths(Args a, int features, WeightsFile.Loaded init) {
    if (a.has("layers")) {
      return a.getIntList("layers", null);
    }
    if (!a.has("hidden") && init != null) {
      return init.network().widths();
    }
    int[] hidden = a.getIntList("hidden", new int[] {16});
    int[] w = new int[hidden.length + 2];
    w[0] = features;
    System.arraycopy(hidden, 0, w, 1, hidden.length);
    w[w.length - 1] = 1;
    return w;
  }
}
