package io.sparkbackprop.spark;

import java.util.Iterator;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * How the rows of a side are dealt out to the partitions of blocks. With P partitions the rows
 * are numbered 0..N-1 in input order (partition by partition, from the statistics pass's counts)
 * and row g goes to partition {@code g mod P}, in increasing g: sizes differ by at most one, every
 * partition samples the whole input, and the same input with the same P gives the same rows in
 * the same partitions in the same order on every run (Spark's {@code repartition} does not
 * promise the order within a partition).
 */
final class Dealing {
  /** The most partitions per core Spark reports that the default keeps ({@link #partitions}). */
  static final int PARTITIONS_PER_CORE = 4;

  private Dealing() {}

  /**
   * The partition count of the blocks: {@code requested} when it is above 0; else 0 (one
   * partition of blocks per input partition) when the input has at most
   * {@link #PARTITIONS_PER_CORE} x {@code parallelism} partitions, else that many, rows dealt out
   * round-robin. Many small partitions (a DataFrame after a shuffle has 200) cost a task each
   * on every pass; a few per core keep the cores busy.
   *
   * @param parallelism the cores Spark reports ({@code defaultParallelism})
   */
  static int partitions(int requested, int input, int parallelism) {
    if (requested > 0) {
      return requested;
    }
    int most = PARTITIONS_PER_CORE * Math.max(1, parallelism);
    return input <= most ? 0 : most;
  }

  /**
   * The rows {@code rows} makes of each input partition, dealt round-robin to {@code partitions}
   * partitions, each in increasing row number.
   *
   * @param counts the rows {@code rows} gives for each input partition (not modified)
   */
  static JavaRDD<double[]> deal(JavaRDD<Row> input, long[] counts, int partitions,
      Function2<Integer, Iterator<Row>, Iterator<double[]>> rows) {
    long[] first = new long[counts.length];
    for (int i = 1; i < counts.length; i++) {
      first[i] = first[i - 1] + counts[i - 1];
    }
    return input.mapPartitionsWithIndex((i, it) -> number(rows.call(i, it), first[i]), true)
        .mapToPair(t -> t)
        .repartitionAndSortWithinPartitions(new RoundRobin(partitions))
        .values();
  }

  private static Iterator<Tuple2<Long, double[]>> number(Iterator<double[]> it, long first) {
    return new Iterator<>() {
      private long g = first;

      @Override public boolean hasNext() {
        return it.hasNext();
      }

      @Override public Tuple2<Long, double[]> next() {
        return new Tuple2<>(g++, it.next());
      }
    };
  }

  /** Row g of a side goes to partition g mod P. */
  static final class RoundRobin extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    RoundRobin(int partitions) {
      this.partitions = partitions;
    }

    @Override public int numPartitions() {
      return partitions;
    }

    @Override public int getPartition(Object key) {
      return (int) Math.floorMod((Long) key, (long) partitions);
    }

    @Override public boolean equals(Object o) {
      return o instanceof RoundRobin r && r.partitions == partitions;
    }

    @Override public int hashCode() {
      return partitions;
    }
  }
}
