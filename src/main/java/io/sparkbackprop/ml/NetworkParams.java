package io.sparkbackprop.ml;

import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;

/** The network's shape and activations, and the weights it starts from. */
public interface NetworkParams extends ParamTable.Owner {
  default IntArrayParam layers() {
    return table().intArrayParam("layers", "at least 2 widths, each >= 1",
        a -> a.length >= 2 && Arrays.stream(a).allMatch(x -> x >= 1), "widths of all layers,"
            + " input first and output last, as MLlib's layers, e.g. [10, 64, 64, 1]; the output"
            + " width must be 1 (one label). Required");
  }

  default int[] getLayers() {
    return getOrDefault(layers());
  }

  default Param<String> hiddenActivation() {
    return table().stringParam("hiddenActivation", "relu", "one of identity, sigmoid, tanh,"
        + " relu, or one per hidden layer separated by commas", ParamChecks::activationsValid,
        "activation of the hidden layers: identity, sigmoid, tanh or relu; or a comma-separated"
            + " list with one per hidden layer");
  }

  default String getHiddenActivation() {
    return getOrDefault(hiddenActivation());
  }

  default Param<String> outputActivation() {
    return table().stringParam("outputActivation", "identity",
        "one of identity, sigmoid, tanh, relu",
        s -> ParamChecks.activationsValid(s) && !s.contains(","), "activation of the output"
            + " layer: identity (regression), sigmoid, tanh or relu");
  }

  default String getOutputActivation() {
    return getOrDefault(outputActivation());
  }

  default LongParam seed() {
    return table().longParam("seed", 42L, "seed of the initial weights (Glorot uniform, He"
        + " normal for relu layers) and of the mini-batch samples");
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default Param<Vector> initialWeights() {
    return table().vectorParam("initialWeights", "weights to start from, in the flat layout"
        + " W[l][from][to] at offset(l) + (to - 1) * (in + 1) + from, biases at from = 0 (as"
        + " model.json's flatWeights); when not set: seeded Glorot/He");
  }

  /** The initial weights, or null when not set. */
  default Vector getInitialWeights() {
    return isDefined(initialWeights()) ? getOrDefault(initialWeights()) : null;
  }
}
