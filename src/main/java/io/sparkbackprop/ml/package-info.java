/**
 * The public API: a Spark ML estimator and model pair,
 * {@link io.sparkbackprop.ml.MultilayerPerceptronRegressor} and
 * {@link io.sparkbackprop.ml.MultilayerPerceptronRegressionModel}, with Params named as MLlib
 * names them, a typed {@link io.sparkbackprop.ml.TrainingSummary}, a
 * {@link io.sparkbackprop.ml.TrainingListener} for progress, and ML persistence through Hadoop
 * {@code FileSystem} (model.json, the same file the command line writes); and
 * {@link io.sparkbackprop.ml.Friedman}, the Friedman #1 test data as rows or a DataFrame. Usable
 * from Java, Scala, Pipelines, CrossValidator and PySpark (the Python package sets these Params).
 *
 * <p>Everything the command line can do goes through here. Failures are the library's
 * exceptions in plain words, naming Params, never options. May import every package below it
 * ({@code nn}, {@code optim}, {@code spark}, {@code io}); never {@code cli}.
 */
package io.sparkbackprop.ml;
