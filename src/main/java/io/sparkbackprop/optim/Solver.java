package io.sparkbackprop.optim;

/** How the weights move: steps of an update rule, rounds of local steps, or Breeze's L-BFGS. */
public sealed interface Solver {
  /** {@code w -= ...} by {@code rule} (gd, sgd, momentum, Nesterov, Adam), one step per iteration. */
  record Steps(UpdateRule rule) implements Solver {}

  /**
   * L-BFGS with {@code memory} correction pairs; its line search evaluates the objective as often
   * as it needs within an iteration. Breeze stops on its own when the relative change of J or the
   * gradient's norm falls below {@code tolerance} (0: only at the iteration limit).
   */
  record Lbfgs(int memory, double tolerance) implements Solver {}

  /**
   * Rounds of local mini-batch steps ({@link Rounds}): iteration t of the loop is round t, and
   * the weights move to the row-weighted average of the shares' weights.
   */
  record Local(Rounds rounds) implements Solver {}
}
