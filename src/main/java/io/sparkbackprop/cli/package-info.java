/**
 * The command line ({@code spark-backprop COMMAND [options]}, picocli): each command maps its
 * options to the estimator's Params, reads its input, calls the {@code ml} API, writes and prints.
 * Only this package knows options, exit codes (0 done, 1 training or other failure, 2 bad input)
 * and hints; it turns the library's exceptions into one line each. Its own files live here too:
 * history.csv ({@code History}), loss.png ({@code LossPlot}), the Parquet it reads and writes
 * ({@code ParquetIn}, {@code ParquetOut}). Nothing imports it.
 */
package io.sparkbackprop.cli;
