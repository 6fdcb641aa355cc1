package io.sparkbackprop.spark;

import java.util.Locale;

/** How per-partition sums are combined into one. */
public enum Combine {
  /**
   * A tree of fixed shape, from the partition count and the depth alone: partitions are summed
   * in groups of consecutive partition indices, each group in index order, then the groups in key
   * order on the driver. The first level is summed inside tasks that each hold runs of whole
   * groups (a few tasks per core, however many partitions). The same partitioning gives bitwise
   * the same sums, whatever order tasks finish in, wherever the blocks are cached and however many
   * cores there are.
   */
  ORDERED,
  /**
   * Spark's own {@code treeAggregate}: partial sums are merged in task completion order, so the
   * last bits can differ from run to run.
   */
  SPARK_TREE;

  public static Combine parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "ordered" -> ORDERED;
      case "spark-tree", "spark_tree", "treeaggregate" -> SPARK_TREE;
      default -> throw new IllegalArgumentException("unknown combine mode '" + s
          + "' (known: ordered, spark-tree)");
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
