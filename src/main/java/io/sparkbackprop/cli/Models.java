package io.sparkbackprop.cli;

import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;

/** Loading a model for predict and evaluate. */
final class Models {
  private Models() {}

  /** The model at {@code path} (a directory, or a model.json), of one output or several. */
  static MultilayerPerceptronRegressionModel load(String path) {
    return MultilayerPerceptronRegressionModel.load(path);
  }
}
