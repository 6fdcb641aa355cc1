package io.sparkbackprop.optim;

import java.util.List;

/**
 * Everything needed to continue a run of step-by-step training exactly where it was, after
 * iteration {@code iteration}. The mini-batch sampler has no state to save: its streams derive
 * from (seed, iteration, partition).
 *
 * @param run what identifies the run (network, data and every setting that changes the
 *     arithmetic); resuming checks it is equal
 * @param iteration iterations completed
 * @param weights weights after that iteration
 * @param optimizerState the update rule's {@code state()}
 * @param history the history so far
 * @param early early stopping's state: best metric, best iteration, evaluations without
 *     improvement (null without early stopping)
 * @param bestWeights early stopping's best weights (null when none)
 */
public record Checkpoint(String run, int iteration, double[] weights, double[][] optimizerState,
    List<Iteration> history, double[] early, double[] bestWeights) {

  /** Where checkpoints are kept (a directory of some file system). */
  public interface Store {
    /** Writes {@code c} so that a crash at any moment leaves the previous checkpoint readable. */
    void write(Checkpoint c);

    /** The newest checkpoint, or null when there is none. */
    Checkpoint read();

    /** Where, for messages. */
    String location();
  }
}
