package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.model.AtomicDir;
import io.sparkbackprop.model.SavedModel;
import io.sparkbackprop.model.Scaling;
import io.sparkbackprop.model.WeightsFile;
import io.sparkbackprop.nn.Blas;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.optim.GradientDescent;
import io.sparkbackprop.optim.StoppingRule;
import io.sparkbackprop.spark.Combine;
import io.sparkbackprop.spark.DistributedObjective;
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
  static final int BLOCK_SIZE = 256;
  static final int TREE_DEPTH = 2;
  static final int LOG_EVERY = 10;

  private static final Set<String> VALUED = Set.of("input", "label", "features", "layers", "hidden",
      "activation", "output-activation", "lr", "iterations", "tol", "seed", "block-size",
      "tree-depth", "partitions", "model", "init", "master", "log-every", "combine");
  private static final Set<String> SWITCHES = Set.of("help", "overwrite", "drop-invalid",
      "no-standardize", "standardize-label");

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
        --lr RATE                learning rate of w -= lr * g (default 0.1)
        --iterations N           maximum iterations (default 500)
        --tol T                  stop when the objective's relative change is below T (default 0: off)
        --seed N                 seed of the initial weights (default 42)
        --init FILE              start from a saved model.json or a weights JSON (gradcheck format)
        --block-size N           rows per cached block (default 256)
        --partitions N           repartition the input to N partitions (default: as read)
        --tree-depth N           depth of the aggregation tree (default 2)
        --combine MODE           ordered (default: fixed order, bitwise reproducible) or spark-tree
                                 (Spark's treeAggregate, completion order)
        --no-standardize         do not standardize features (default: standardize, stored in model)
        --standardize-label      also standardize the label (predictions are mapped back)
        --drop-invalid           skip rows with null/NaN/infinite values (default: error)
        --model DIR              where to write the model directory (model.json, history.csv)
        --overwrite              replace an existing model directory
        --log-every K            progress line every K iterations (default 10)
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
    double lr = a.getDouble("lr", LR, Double.MIN_VALUE, 1e6);
    int iterations = a.getInt("iterations", ITERATIONS, 1);
    double tol = a.getDouble("tol", TOL, 0, 1);
    long seed = a.getLong("seed", SEED);
    int blockSize = a.getInt("block-size", BLOCK_SIZE, 1);
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
    // Check what can be checked before Spark starts.
    WeightsFile.Loaded init = a.has("init") ? readInit(a.require("init")) : null;

    SparkSession spark = Sessions.get("train", a.get("master", null));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    out.println("train: Spark " + spark.version() + ", master " + sc.master() + ", BLAS "
        + Blas.name());
    TrainingData.Loaded data = TrainingData.load(spark, input, label, features, partitions,
        blockSize, a.flag("drop-invalid"));
    int d = data.features().size();
    int[] widths = widths(a, d, init);
    String activation = a.get("activation", ACTIVATION);
    // One name per layer sets the output's too; otherwise the output defaults to identity.
    boolean perLayer = activation.split(",").length == widths.length - 1 && widths.length > 2;
    Network net = Cli.network("train", widths, activation,
        a.get("output-activation", perLayer ? null : OUTPUT_ACTIVATION));
    if (net.inputWidth() != d) {
      throw new UsageException("train: --layers " + joinInts(widths) + " takes " + net.inputWidth()
          + " inputs but there are " + d + " features (" + String.join(",", data.features()) + ")");
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

    Scaling scaling = Standardize.fit(data.blocks(), data.features(), !a.flag("no-standardize"),
        a.flag("standardize-label"), out);
    JavaRDD<io.sparkbackprop.spark.Block> blocks = data.blocks();
    if (!scaling.isIdentity()) {
      blocks = Standardize.apply(data.blocks(), scaling);
      data.blocks().unpersist(false);
    }
    out.println("network " + net + " (" + net.size() + " weights); gradient descent, lr " + lr
        + ", up to " + iterations + " iterations");

    DistributedObjective objective = new DistributedObjective(sc, blocks, net, treeDepth, combine);
    GradientDescent rule = new GradientDescent(lr);
    long start = System.nanoTime();
    Trainer.Result result = Trainer.train(objective, net, w0, rule, new StoppingRule(iterations, tol),
        iterations, logEvery, out);
    double seconds = (System.nanoTime() - start) / 1e9;
    DistributedObjective.Value fin = objective.evaluate(result.weights(), "train: final objective");
    out.printf("stopped: %s; final objective %.10g (%.2f s)%n", result.stopReason(),
        fin.objective(), seconds);

    ObjectNode training = JsonNodeFactory.instance.objectNode();
    ObjectNode opts = training.putObject("options");
    opts.put("input", input);
    opts.put("label", label);
    opts.put("layers", joinInts(net.widths()));
    opts.put("activations", net.toString().split(" ")[1]);
    opts.put("optimizer", rule.describe());
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
    opts.put("standardizeLabel", a.flag("standardize-label"));
    opts.put("dropInvalid", a.flag("drop-invalid"));
    training.put("objective", "J(w) = (1/n) sum (y - yhat)^2 over the training rows"
        + (a.flag("standardize-label") ? " (standardized label)" : ""));
    training.put("rows", data.rows());
    training.put("droppedRows", data.dropped());
    training.put("iterationsRun", result.iterations());
    training.put("stopReason", result.stopReason());
    training.put("finalObjective", fin.objective());
    training.put("seconds", seconds);
    ObjectNode prov = training.putObject("provenance");
    prov.put("project", "spark-backprop " + SavedModel.projectVersion());
    prov.put("spark", spark.version());
    prov.put("java", System.getProperty("java.version"));
    prov.put("master", sc.master());
    prov.put("blas", Blas.name());
    prov.put("createdAt", Instant.now().toString());
    ArrayNode hist = training.putArray("history");
    StringBuilder csv = new StringBuilder("iteration,objective,gradient_norm,seconds\n");
    for (Trainer.Iteration it : result.history()) {
      ObjectNode h = hist.addObject();
      h.put("iteration", it.iteration());
      h.put("objective", it.objective());
      h.put("gradientNorm", it.gradientNorm());
      h.put("seconds", it.seconds());
      csv.append(it.iteration()).append(',').append(it.objective()).append(',')
          .append(it.gradientNorm()).append(',').append(it.seconds()).append('\n');
    }
    SavedModel model = new SavedModel(net, result.weights(), data.features(), label, scaling,
        training);
    String json = model.toJsonString();
    AtomicDir.write(modelDir, overwrite, "model", dir -> {
      Files.writeString(dir.resolve(SavedModel.FILE), json);
      Files.writeString(dir.resolve("history.csv"), csv.toString());
    });
    out.println("model written to " + modelDir.toAbsolutePath());
    return 0;
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

  static String joinInts(int[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    return sb.toString();
  }
}
