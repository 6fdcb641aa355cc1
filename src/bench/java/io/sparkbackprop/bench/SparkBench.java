package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.blas.Blas;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.optim.GradientDescent;
import io.sparkbackprop.ml.MultilayerPerceptronRegressor;
import io.sparkbackprop.optim.Iteration;
import io.sparkbackprop.optim.Solver;
import io.sparkbackprop.optim.TrainingLoop;
import io.sparkbackprop.spark.Block;
import io.sparkbackprop.spark.Combine;
import io.sparkbackprop.spark.DistributedObjective;
import io.sparkbackprop.spark.BlockData;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Our trainer against Spark MLlib's {@code MultilayerPerceptronClassifier} on the same Parquet data,
 * in one JVM and one Spark session, alternating per configuration and repetition.
 *
 * <p>What is compared. Both run full-batch gradient descent with sigmoid hidden layers for a fixed
 * number of iterations on cached data. Ours regresses the Friedman label with one identity output and
 * squared error; MLlib needs classes, so its label is thresholded at the median (two classes) and its
 * network ends in TWO softmax outputs with cross-entropy (10-64-64-1 for us is 10-64-64-2 for MLlib).
 * The hidden layers, and so almost all of the work, are the same.
 *
 * <p>Timing. Ours: the seconds per iteration that {@link TrainingLoop} records (broadcast, one Spark job,
 * combine, update). MLlib: see {@link JobTimer}. Both: the median over iterations 2..N of every
 * repetition (iteration 1 pays one-off costs: JIT, MLlib's stacking of rows into blocks). Besides
 * wall time, the executor CPU seconds of each iteration's tasks (Spark's task metrics, summed over
 * tasks): on a machine shared with other work, wall time measures the machine's load as much as
 * the code, CPU time much less so.
 *
 * <p>FLOP count: 6 x weights x rows per iteration (2 for the forward product, 4 for the two
 * backward products). The BLAS peak is dgemm of 512 x 512 matrices, measured in this JVM with as
 * many threads at once as Spark runs tasks, each thread single-threaded BLAS (set
 * OPENBLAS_NUM_THREADS=1), summed over the threads; and the same per CPU second, to compare with our
 * FLOP per task-CPU second.
 */
@Command(name = "jobs/bench", sortOptions = false,
    showDefaultValues = true,
    description = {"Seconds per full-batch gradient pass: ours (each precision) against",
        "MLlib's MultilayerPerceptronClassifier on the same Friedman #1 Parquet data,",
        "alternating. Prints one 'BENCH layers=... ours_s=... mllib_s=...' line per case,",
        "then a table."})
public final class SparkBench implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  @Option(names = "--rows", split = ",", paramLabel = "N", defaultValue = "1000000",
      description = "rows of Friedman #1 data, ',' between; each generated once into --data-dir"
          + " if absent")
  long[] rows;

  @Option(names = "--input", paramLabel = "PATH",
      description = "use this Parquet data instead (label column 'label')")
  String input;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "target/bench-data",
      description = "where generated data lives")
  String dataDir;

  @Option(names = "--configs", split = ",", paramLabel = "L[:N]",
      defaultValue = "10-2-2-1,10-64-64-1,10-256-256-1",
      description = "layers, ours' form, ',' between; L:N runs that config for N iterations (ours"
          + " and MLlib)")
  String[] configs;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "21",
      description = "iterations per run, ours and MLlib (the median of 2..N is reported)")
  int iterations;

  @Option(names = "--mllib-iterations", paramLabel = "N",
      description = "iterations of MLlib's runs (default: --iterations)")
  Integer mllibIterations;

  @Option(names = "--repetitions", paramLabel = "R", defaultValue = "1",
      description = "runs of each, alternating ours/MLlib")
  int repetitions;

  @Option(names = "--partitions", paramLabel = "P",
      description = "partitions of both cached datasets (default: Spark's parallelism)")
  Integer partitions;

  @Option(names = "--block-size", paramLabel = "N",
      description = "rows per block, ours (default: train's, 1024 when every layer after the"
          + " input is at most 8 wide, else 256; MLlib keeps its 128)")
  Integer blockSize;

  @Option(names = "--lr", paramLabel = "X", defaultValue = "0.01", description = "learning rate")
  double lr;

  @Option(names = "--precision", split = ",", paramLabel = "P", defaultValue = "double,float",
      description = "ours' precisions, side by side")
  String[] precision;

  @Option(names = "--no-mllib", description = "time ours only")
  boolean noMllib;

  @Option(names = "--overhead",
      description = "also time one iteration on a 1-row dataset (10-2-2-1)")
  boolean overhead;

  @Option(names = "--master", paramLabel = "M", description = "Spark master (default: local[*])")
  String master;

  private final PrintStream out = System.out;
  private final JobTimer timer = new JobTimer();
  private SparkSession spark;
  private JavaSparkContext sc;
  private int group;
  /** The partitions of the cached data: --partitions, else Spark's parallelism. */
  private int parts;
  private List<Precision> precisions;
  private DgemmPeak.Speed peak;

  public static void main(String[] argv) {
    System.exit(new CommandLine(new SparkBench()).execute(argv));
  }

  /** One row of the result table. */
  record Result(String layers, String precision, int blockSize, int iterations, long rows,
      double ours, double mllib, double oursCpu, double mllibCpu, double flop,
      DgemmPeak.Speed peak, double cachedBytesPerRow) {
    double gflops() {
      return flop / ours / 1e9;
    }

    double gflopsPerCpu() {
      return flop / oursCpu / 1e9;
    }
  }

  /** Per-iteration wall and task-CPU seconds of the timed iterations of some runs. */
  record Times(List<Double> wall, List<Double> cpu) {
    Times() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    void add(Times t) {
      wall.addAll(t.wall());
      cpu.addAll(t.cpu());
    }
  }

  @Override public Integer call() throws Exception {
    spark = BenchSpark.session("bench", master);
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    spark.sparkContext().addSparkListener(timer);
    parts = partitions != null ? partitions : sc.defaultParallelism();
    precisions = new ArrayList<>();
    for (String p : precision) {
      precisions.add(Precision.of(p));
    }
    int tasks = Math.min(parts, sc.defaultParallelism());
    out.printf("bench: Spark %s, master %s, %d partitions, BLAS %s, OPENBLAS_NUM_THREADS=%s%n",
        spark.version(), sc.master(), parts, Blas.name(),
        System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "(unset)"));
    peak = DgemmPeak.measure(tasks, 512, 1.5);
    out.printf(Locale.ROOT, "bench: dgemm 512^3 with %d thread(s) at once: %.1f GFLOP/s, %.1f GFLOP"
        + " per CPU second (1 thread alone: %.1f GFLOP/s)%n", tasks, peak.perWallSecond(),
        peak.perCpuSecond(), DgemmPeak.measure(1, 512, 1.0).perWallSecond());
    if (overhead) {
      overhead();
    }
    List<String> inputs = new ArrayList<>();
    if (input != null) {
      inputs.add(input);
    } else {
      for (long r : rows) {
        inputs.add(BenchSpark.friedman(spark, dataDir, r, out));
      }
    }
    List<Result> results = new ArrayList<>();
    for (String in : inputs) {
      results.addAll(runInput(in));
    }
    out.println();
    out.print(table(results, repetitions));
    return 0;
  }

  /** Every configuration on one input, ours against MLlib. */
  private List<Result> runInput(String in) throws InterruptedException {
    // Cached blocks by (block size, precision), each cached once and kept for the input.
    Map<String, BlockData.Loaded> cached = new TreeMap<>();
    BlockData.Loaded first = cachedBlocks(cached, in, blockSize(widthsOf(configs[0])),
        precisions.get(0));
    long n = first.trainingRows();
    out.printf("data: %s, %d rows, %d features%n", in, n, first.featureNames().size());
    Dataset<Row> theirs = noMllib ? null : mllibData(in, first.featureNames());
    List<Result> results = new ArrayList<>();
    for (String config : configs) {
      results.addAll(runConfig(config.trim(), cached, in, n, theirs));
    }
    cached.values().forEach(BlockData.Loaded::close);
    if (theirs != null) {
      theirs.unpersist(true);
    }
    return results;
  }

  /** One configuration "10-64-64-1" or "10-64-64-1:N": its repetitions, a result per precision. */
  private List<Result> runConfig(String config, Map<String, BlockData.Loaded> cached, String in,
      long n, Dataset<Row> theirs) throws InterruptedException {
    String layers = config.split(":")[0];
    int its = config.contains(":") ? Integer.parseInt(config.split(":")[1]) : iterations;
    int mllibIts = config.contains(":") ? its
        : mllibIterations != null ? mllibIterations : iterations;
    int[] widths = widthsOf(layers);
    Network net = Network.of(widths, Activation.SIGMOID, Activation.IDENTITY);
    int bs = blockSize(widths);
    Map<Precision, Times> oursTimes = new TreeMap<>();
    Map<Precision, BlockData.Loaded> data = new TreeMap<>();
    for (Precision p : precisions) {
      data.put(p, cachedBlocks(cached, in, bs, p));
      oursTimes.put(p, new Times());
    }
    Times mllibTimes = new Times();
    for (int rep = 0; rep < repetitions; rep++) {
      for (Precision p : precisions) {
        oursTimes.get(p).add(ours(data.get(p).training(), net, its, p));
      }
      if (theirs != null) {
        mllibTimes.add(mllib(theirs, widths, mllibIts));
      }
    }
    List<Result> results = new ArrayList<>();
    for (Precision p : precisions) {
      Times t = oursTimes.get(p);
      Result r = new Result(layers, p.id(), bs, its, n, Timing.median(t.wall()),
          Timing.median(mllibTimes.wall()), Timing.median(t.cpu()),
          Timing.median(mllibTimes.cpu()), 6.0 * net.size() * n, peak,
          BlockData.cachedBytes(data.get(p).training()) / (double) n);
      results.add(r);
      out.println(machineLine(r));
    }
    return results;
  }

  /** --block-size, else train's default block size for these widths. */
  private int blockSize(int[] widths) {
    return blockSize != null && blockSize > 0 ? blockSize : defaultBlockSize(widths);
  }

  /** train's default block size for these widths (the estimator's). */
  private static int defaultBlockSize(int[] widths) {
    return new MultilayerPerceptronRegressor().setLayers(widths).getBlockSize();
  }

  /** The cached blocks of one block size and precision, loaded and filled on first use. */
  private BlockData.Loaded cachedBlocks(Map<String, BlockData.Loaded> cache, String input,
      int blockSize, Precision precision) throws InterruptedException {
    String key = blockSize + "/" + precision.id();
    BlockData.Loaded l = cache.get(key);
    if (l == null) {
      l = load(input, parts, blockSize, precision);
      int d = l.featureNames().size();
      // Two iterations of a linear model fill the cache before any timed run.
      ours(l.training(), Network.of(new int[] {d, 1}, Activation.IDENTITY, Activation.IDENTITY),
          2, precision);
      long bytes = BlockData.cachedBytes(l.training());
      out.printf(Locale.ROOT, "cache: blocks of %d rows, %s: %d bytes = %.1f bytes per row = %.3f x"
          + " 8 (d + 1)%n", blockSize, precision.id(), bytes, bytes / (double) l.trainingRows(),
          bytes / (8.0 * (d + 1) * l.trainingRows()));
      cache.put(key, l);
    }
    return l;
  }

  /** Every numeric column but the label of the Parquet input, raw, as cached blocks. */
  private BlockData.Loaded load(String input, int partitions, int blockSize,
      Precision precision) {
    Dataset<Row> df = spark.read().parquet(input);
    List<String> features = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField f : df.schema().fields()) {
      if (!f.name().equals("label")) {
        features.add(f.name());
      }
    }
    Dataset<Row> v = new VectorAssembler().setInputCols(features.toArray(new String[0]))
        .setOutputCol("features").transform(df);
    return BlockData.load(v, BlockData.Spec.builder("features", "label", features.size(),
        blockSize).partitions(partitions).storage(StorageLevel.MEMORY_AND_DISK())
        .precision(precision).build());
  }

  /** The layer widths of a configuration "10-64-64-1" or "10-64-64-1:N". */
  private static int[] widthsOf(String spec) {
    return Arrays.stream(spec.trim().split(":")[0].split("-")).mapToInt(Integer::parseInt)
        .toArray();
  }

  /** Seconds of iterations 2..N of one run of our trainer. */
  private Times ours(JavaRDD<Block> blocks, Network net, int iterations, Precision precision)
      throws InterruptedException {
    DistributedObjective obj = new DistributedObjective(sc, blocks, net, 2, Combine.ORDERED, 1.0,
        0L, precision);
    String g = "bench-ours-" + (++group);
    sc.setJobGroup(g, "ours " + net, false);
    TrainingLoop.Result r;
    try {
      r = TrainingLoop.train(obj, net, net.initialWeights(42),
          new Solver.Steps(new GradientDescent(lr)), TrainingLoop.Settings.iterations(iterations),
          null, null, null, null, "");
    } finally {
      sc.clearJobGroup();
    }
    Times t = new Times();
    for (Iteration it : r.history().subList(1, r.history().size())) {
      t.wall().add(it.seconds());
    }
    List<JobTimer.Job> jobs = timer.jobs(g, iterations);
    for (JobTimer.Job j : jobs.subList(1, jobs.size())) {
      t.cpu().add(j.cpuNanos() / 1e9);
    }
    return t;
  }

  /** Seconds of passes 2..N + 1 of one MLlib fit of N iterations (see {@link JobTimer}). */
  private Times mllib(Dataset<Row> data, int[] ourWidths, int iterations)
      throws InterruptedException {
    int[] layers = ourWidths.clone();
    layers[layers.length - 1] = 2;
    String g = "bench-mllib-" + (++group);
    sc.setJobGroup(g, "MLlib MLP " + Arrays.toString(layers), false);
    try {
      new MultilayerPerceptronClassifier()
          .setLayers(layers)
          .setSolver("gd")
          .setMaxIter(iterations)
          .setTol(0.0)
          .setStepSize(lr)
          .setSeed(42L)
          .fit(data);
    } finally {
      sc.clearJobGroup();
    }
    List<JobTimer.Job> jobs = timer.jobs(g, iterations + 1);
    Times t = new Times();
    for (int i = 1; i < jobs.size(); i++) {
      t.wall().add((jobs.get(i).end() - jobs.get(i - 1).end()) / 1e3);
      t.cpu().add(jobs.get(i).cpuNanos() / 1e9);
    }
    return t;
  }

  /** The same Parquet rows as MLlib wants them: a vector column and a 0/1 label, cached. */
  private Dataset<Row> mllibData(String input, List<String> features) {
    Dataset<Row> df = spark.read().parquet(input);
    double median = df.stat().approxQuantile("label", new double[] {0.5}, 0.0)[0];
    Dataset<Row> v = new VectorAssembler().setInputCols(features.toArray(new String[0]))
        .setOutputCol("features").transform(df)
        .select(functions.col("features"),
            functions.when(functions.col("label").gt(median), 1.0).otherwise(0.0).as("label"));
    if (parts > 0) {
      v = v.repartition(parts);
    }
    v = v.persist(StorageLevel.MEMORY_AND_DISK());
    v.count();
    return v;
  }

  /** Fixed cost of one iteration: 10-2-2-1 on a 1-row dataset. */
  private void overhead() throws InterruptedException {
    String input = BenchSpark.friedman(spark, dataDir, 1, out);
    BlockData.Loaded one = load(input, 0, 256, Precision.DOUBLE);
    Network net = Network.of(new int[] {10, 2, 2, 1}, Activation.SIGMOID, Activation.IDENTITY);
    ours(one.training(), net, 300, Precision.DOUBLE); // warm-up: the JIT settles
    Times t = ours(one.training(), net, 101, Precision.DOUBLE);
    one.close();
    out.printf(Locale.ROOT, "OVERHEAD rows=1 partitions=%d ours_s=%.4f (median of %d iterations;"
        + " p10 %.4f, p90 %.4f; task CPU %.4f s)%n", one.training().getNumPartitions(),
        Timing.median(t.wall()), t.wall().size(), Timing.quantile(t.wall(), 0.1),
        Timing.quantile(t.wall(), 0.9), Timing.median(t.cpu()));
  }

  static String machineLine(Result r) {
    return String.format(Locale.ROOT,
        "BENCH layers=%s precision=%s rows=%d ours_s=%.4g mllib_s=%.4g ratio=%.4g gflops=%.3g peak_gflops=%.3g"
            + " blas=%s ours_cpu_s=%.4g mllib_cpu_s=%.4g cpu_ratio=%.4g gflops_per_cpu_s=%.3g"
            + " peak_gflops_per_cpu_s=%.3g iterations=%d block=%d cached_bytes_per_row=%.1f",
        r.layers(), r.precision(), r.rows(), r.ours(),
        r.mllib(), r.ours() / r.mllib(), r.gflops(), r.peak().perWallSecond(), Blas.name(), r.oursCpu(),
        r.mllibCpu(), r.oursCpu() / r.mllibCpu(), r.gflopsPerCpu(), r.peak().perCpuSecond(),
        r.iterations(), r.blockSize(), r.cachedBytesPerRow());
  }

  static String table(List<Result> rs, int reps) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Median s/iteration over iterations 2..N (MLlib: passes"
        + " 2..N+1), %d repetition(s); BLAS %s%n", reps, Blas.name()));
    sb.append("| layers (ours; MLlib ends in 2) | precision | cached bytes/row | N | rows | ours s/iter | MLlib s/iter | ours/MLlib"
        + " | ours CPU s/iter | MLlib CPU s/iter | CPU ratio | ours GFLOP/s | dgemm GFLOP/s"
        + " | % of dgemm | ours GFLOP/CPU s | dgemm GFLOP/CPU s | % |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : rs) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %d | %,d | %.4f | %.4f | %.3f | %.4f | %.4f | %.3f"
          + " | %.2f | %.1f | %.0f%% | %.2f | %.1f | %.0f%% |%n",
          r.layers(), r.precision(), r.cachedBytesPerRow(), r.iterations(), r.rows(), r.ours(), r.mllib(), r.ours() / r.mllib(),
          r.oursCpu(), r.mllibCpu(), r.oursCpu() / r.mllibCpu(), r.gflops(), r.peak().perWallSecond(),
          100 * r.gflops() / r.peak().perWallSecond(), r.gflopsPerCpu(), r.peak().perCpuSecond(),
          100 * r.gflopsPerCpu() / r.peak().perCpuSecond()));
    }
    return sb.toString();
  }
}
