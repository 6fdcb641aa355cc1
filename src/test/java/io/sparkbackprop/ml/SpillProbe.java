package io.sparkbackprop.ml;

import java.util.StringJoiner;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;

/**
 * Trains {@link #estimator()} on {@link #data} in a JVM of its own whose storage memory is a few
 * hundred KB, and prints two lines: where the cached training blocks were during iteration 1
 * ({@link #storage}) and the weights' bits ({@link #bits}). Run by {@link SpillTest}.
 */
public final class SpillProbe {
  private SpillProbe() {}

  /** The fit both runs make: 8 partitions, so that the blocks are the same in either JVM. */
  static MultilayerPerceptronRegressor estimator() {
    return new MultilayerPerceptronRegressor().setLayers(new int[] {10, 8, 1}).setMaxIter(5)
        .setStepSize(0.05).setNumPartitions(8).setBlockSize(128).setSeed(3);
  }

  /** The shipped Friedman table (10,000 rows) with a features Vector. */
  static Dataset<Row> data(SparkSession spark, String path) {
    String[] x = new String[10];
    for (int i = 0; i < x.length; i++) {
      x[i] = "x" + (i + 1);
    }
    return new VectorAssembler().setInputCols(x).setOutputCol("features")
        .transform(spark.read().parquet(path));
  }

  /** "memory M disk D partitions P of N" of the cached training blocks, now. */
  static String storage(SparkContext sc) {
    for (RDDInfo i : sc.getRDDStorageInfo()) {
      if (i.name() != null && i.name().startsWith("training blocks")) {
        return "memory " + i.memSize() + " disk " + i.diskSize() + " partitions "
            + i.numCachedPartitions() + " of " + i.numPartitions();
      }
    }
    return "not cached";
  }

  /** The weights as the hex of their bits, comma-separated. */
  static String bits(double[] w) {
    StringJoiner j = new StringJoiner(",");
    for (double v : w) {
      j.add(Long.toHexString(Double.doubleToRawLongBits(v)));
    }
    return j.toString();
  }

  /** args: the Parquet path. */
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("spill probe")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        // Storage memory: (450 MB - 300 MB reserved) * 0.001 = 157 KB; the blocks take ~900 KB.
        .config("spark.testing.memory", "471859200")
        .config("spark.memory.fraction", "0.001")
        .getOrCreate();
    try {
      String[] where = new String[1];
      MultilayerPerceptronRegressionModel m = estimator().setListener((it, max) -> {
        if (it.iteration() == 1) {
          where[0] = storage(spark.sparkContext());
        }
      }).fit(data(spark, args[0]));
      System.out.println(where[0]);
      System.out.println(bits(m.weights()));
    } finally {
      spark.stop();
    }
  }
}
