/**
 * The engine on Spark: a DataFrame checked once and cached as standardized blocks
 * ({@link io.sparkbackprop.spark.BlockData}: {@code RowCheck} the one check of a row,
 * {@code ColumnStats} the statistics pass, {@code Refusals} the one wording of bad data,
 * {@code Dealing} rows dealt round-robin, {@code BlockIterator}), the distributed objective
 * ({@link io.sparkbackprop.spark.DistributedObjective}: the weights broadcast, every partition's
 * blocks backpropagated and summed, the sums combined in a fixed tree, divided by the row count or
 * the weight sum once on the driver), local steps inside tasks
 * ({@link io.sparkbackprop.spark.LocalRounds}), and predictions and metrics in blocks
 * ({@link io.sparkbackprop.spark.BlockedTransform}, {@link io.sparkbackprop.spark.Evaluation}).
 *
 * <p>May import {@code nn}, {@code optim} and {@code errors}; never {@code io}, {@code ml} or
 * {@code cli}. {@code SparkCompat} (in src/spark4 and src/spark35) is the one place that differs by
 * Spark line.
 */
package io.sparkbackprop.spark;
