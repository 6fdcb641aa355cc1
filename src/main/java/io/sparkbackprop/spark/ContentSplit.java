package io.sparkbackprop.spark;

import java.io.Serializable;

/**
 * A deterministic split of rows into training and validation by their CONTENT: row v =
 * {features..., label} is a validation row when u(seed, v) < fraction, u = {@link RowHash#uniform}.
 * So the split depends only on (seed, fraction, the row's values): not on partitioning, file
 * order, cluster size or Spark version; the two sides are disjoint and together hold every row;
 * identical rows land on the same side (a duplicate cannot leak from training into validation).
 *
 * @param seed the split's seed
 * @param fraction the expected share of validation rows, in (0, 1)
 */
public record ContentSplit(long seed, double fraction) implements Serializable {
  public ContentSplit {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
    }
  }

  /** Whether row v (features then label, not modified) is a validation row. */
  public boolean isValidation(double[] v) {
    return RowHash.uniform(seed, v) < fraction;
  }
}
