package io.sparkbackprop.cli;

import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;

/** Loading a model for predict and evaluate. */
final class Models {
  private Models() {}

  /** The model at {@code path} (a directory, or a model.json); one output, as the commands need. */
  static MultilayerPerceptronRegressionModel load(String path) {
    MultilayerPerceptronRegressionModel m = MultilayerPerceptronRegressionModel.load(path);
    if (m.network().outputWidth() != 1) {
      throw new UsageException(path + ": the model has " + m.network().outputWidth()
          + " outputs; the commands handle one");
    }
    return m;
  }
}
