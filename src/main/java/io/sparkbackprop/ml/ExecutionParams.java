package io.sparkbackprop.ml;

import java.util.Locale;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/**
 * How the work is laid out on the cluster: the cached blocks (rows per block, element type,
 * partitions, storage level) and how the partitions' gradient sums are combined.
 */
public interface ExecutionParams extends NetworkParams {
  default IntParam blockSize() {
    return table().intParam("blockSize", null, ">= 1", ParamValidators.gtEq(1), "rows per"
        + " block of the BLAS kernel (>= 1); when not set: 1024 when every layer after the input"
        + " is at most 8 wide, else 256");
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

  default Param<String> precision() {
    return table().stringParam("precision", "double", "one of double, float",
        ParamChecks.oneOf("double", "float"), "element type of the cached training blocks and"
            + " of the training kernel: double, or float (half the memory, single-precision BLAS;"
            + " each block's gradient is added into a double sum, and the weights, their update"
            + " and the saved model stay double)");
  }

  default String getPrecision() {
    return getOrDefault(precision()).toLowerCase(Locale.ROOT);
  }

  default IntParam numPartitions() {
    return table().intParam("numPartitions", 0, ">= 0", ParamValidators.gtEq(0), "partitions"
        + " of the cached blocks: 0 keeps the input's, or, when the input has more than 4 per"
        + " core Spark reports, deals rows out to 4 per core (local-adam and local-sgd: always"
        + " deals them out to one partition per core, each partition one share of the"
        + " averaging); P > 0 deals rows out to P partitions in input order (>= 0; set it for"
        + " the same partitions, and bits, on any cluster)");
  }

  default int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions());
  }

  default Param<String> storageLevel() {
    return table().stringParam("storageLevel", "MEMORY_AND_DISK", "one of Spark's StorageLevel"
        + " names but NONE (DISK_ONLY, DISK_ONLY_2, DISK_ONLY_3, MEMORY_ONLY, MEMORY_ONLY_2,"
        + " MEMORY_ONLY_SER, MEMORY_ONLY_SER_2, MEMORY_AND_DISK, MEMORY_AND_DISK_2,"
        + " MEMORY_AND_DISK_SER, MEMORY_AND_DISK_SER_2, OFF_HEAP)",
        ParamChecks::storageLevelValid, "storage level of the cached blocks, e.g."
            + " MEMORY_AND_DISK (a table larger than the cluster's memory still trains),"
            + " MEMORY_ONLY, MEMORY_AND_DISK_SER");
  }

  default String getStorageLevel() {
    return getOrDefault(storageLevel());
  }

  default IntParam aggregationDepth() {
    return table().intParam("aggregationDepth", 2, ">= 1", ParamValidators.gtEq(1), "depth of"
        + " the tree that combines the partitions' gradient sums (>= 1)");
  }

  default int getAggregationDepth() {
    return (Integer) getOrDefault(aggregationDepth());
  }

  default Param<String> combineMode() {
    return table().stringParam("combineMode", "ordered", "one of ordered, spark-tree",
        ParamChecks.oneOf("ordered", "spark-tree"), "ordered: a tree of fixed shape summed in"
            + " partition order, bitwise reproducible; spark-tree: Spark's treeAggregate, in task"
            + " completion order");
  }

  default String getCombineMode() {
    return getOrDefault(combineMode()).toLowerCase(Locale.ROOT);
  }
}
