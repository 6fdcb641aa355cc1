package io.sparkbackprop.cli;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;

/** Small parsing helpers shared by the commands. */
final class Cli {
  private Cli() {}

  /**
   * A network from widths and activation names: {@code activation} is one name for every hidden
   * layer or a comma list with one name per layer (hidden and output); {@code output}, when given,
   * sets the last layer's.
   */
  static Network network(String cmd, int[] widths, String activation, String output) {
    if (widths.length < 2) {
      throw new UsageException(cmd + ": --layers needs an input and an output width, got "
          + java.util.Arrays.toString(widths));
    }
    int layers = widths.length - 1;
    String[] names = activation.split(",");
    Activation[] acts = new Activation[layers];
    try {
      if (names.length == 1) {
        java.util.Arrays.fill(acts, Activation.parse(names[0]));
      } else if (names.length == layers) {
        for (int i = 0; i < layers; i++) {
          acts[i] = Activation.parse(names[i]);
        }
      } else if (names.length == layers - 1 && output != null) {
        for (int i = 0; i < layers - 1; i++) {
          acts[i] = Activation.parse(names[i]);
        }
      } else {
        throw new UsageException(cmd + ": --activation has " + names.length + " names; layers "
            + java.util.Arrays.toString(widths) + " need 1 or " + layers);
      }
      if (output != null) {
        acts[layers - 1] = Activation.parse(output);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(cmd + ": " + e.getMessage());
    }
    return Network.of(widths, acts);
  }
}
