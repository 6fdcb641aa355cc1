/**
 * Files, all through Hadoop {@code FileSystem} (local, HDFS, S3): model.json, weights files,
 * checkpoints, the one atomic directory write ({@link io.sparkbackprop.io.AtomicDir}), what an
 * output path may replace ({@link io.sparkbackprop.io.OutputTarget}: never a path that does not
 * recognisably hold our own output). Models are JSON; nothing a user keeps is Java-serialized.
 * The command line's own outputs (history.csv, loss.png, prediction Parquet) live in {@code cli}.
 *
 * <p>May import {@code nn}, {@code optim}, {@code spark} and {@code errors}; never {@code ml} or
 * {@code cli}.
 */
package io.sparkbackprop.io;
