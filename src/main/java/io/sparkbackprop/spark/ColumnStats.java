package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Scaling;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The statistics pass: what one read of the input learns of each partition, and of the whole
 * input once merged. Every row is checked ({@link RowCheck}); the valid rows are counted per side
 * (training, validation), rows of weight 0 counted apart and left out, the training rows'
 * moments accumulated ({@link Moments}: weighted, merged in partition order) and every valid
 * row hashed with its side into an order-free fingerprint ({@link RowHash}).
 */
final class ColumnStats implements Serializable {
  private static final long serialVersionUID = 1L;
  final RowFaults faults;
  /** Valid rows per side: [training, validation]. */
  final long[] valid = new long[2];
  /** Invalid rows per side. */
  final long[] invalidSide = new long[2];
  /** Valid rows of weight 0 per side (left out). */
  final long[] zeroWeight = new long[2];
  long hash;
  final Moments moments;

  private ColumnStats(RowFaults faults, int width) {
    this.faults = faults;
    this.moments = new Moments(width);
  }

  /** One input partition's statistics. */
  static ColumnStats of(int partition, Iterator<Row> it, RowCheck check) {
    int d = check.d;
    ColumnStats s = new ColumnStats(new RowFaults(partition, d), d + check.k);
    double[] v = new double[d + check.k];
    while (it.hasNext()) {
      Row r = it.next();
      RowCheck.Verdict verdict = check.check(r, v, s.faults);
      if (verdict == RowCheck.Verdict.WRONG_LENGTH) {
        continue;
      }
      int side = check.side(r, v);
      double weight = check.weight(r);
      if (verdict == RowCheck.Verdict.INVALID) {
        s.invalidSide[side]++;
      } else if (weight == 0) {
        s.zeroWeight[side]++;
      } else {
        s.valid[side]++;
        s.hash += !check.weighted() ? RowHash.of(side, v)
            : RowHash.mix(RowHash.of(side, v) + Double.doubleToLongBits(weight));
        if (side == 0) {
          s.moments.add(v, weight);
        }
      }
    }
    return s;
  }

  /** The whole input: partitions summed, moments merged in partition order. */
  static ColumnStats merge(List<ColumnStats> parts, int d, int k) {
    List<ColumnStats> sorted = new ArrayList<>(parts);
    sorted.sort((a, b) -> Integer.compare(a.faults.partition, b.faults.partition));
    List<RowFaults> faults = new ArrayList<>();
    sorted.forEach(s -> faults.add(s.faults));
    ColumnStats all = new ColumnStats(RowFaults.merge(faults, d), d + k);
    for (ColumnStats s : sorted) {
      for (int side = 0; side < 2; side++) {
        all.valid[side] += s.valid[side];
        all.invalidSide[side] += s.invalidSide[side];
        all.zeroWeight[side] += s.zeroWeight[side];
      }
      all.hash += s.hash;
      all.moments.merge(s.moments);
    }
    return all;
  }

  /** Valid rows of {@code side} per input partition, indexed by partition (0 where none). */
  static long[] validPerPartition(List<ColumnStats> parts, int partitions, int side) {
    long[] counts = new long[partitions];
    for (ColumnStats s : parts) {
      counts[s.faults.partition] = s.valid[side];
    }
    return counts;
  }

  /**
   * The standardization: column j's mean and {@link #spread} when it is standardized, else 0 and
   * 1.
   */
  Scaling scaling(boolean features, boolean label, int d, int k) {
    if (!features && !label) {
      return Scaling.identity(d, k);
    }
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      mean[j] = features ? moments.mean(j) : 0.0;
      scale[j] = features ? spread(j) : 1.0;
    }
    double[] labelMean = new double[k];
    double[] labelScale = new double[k];
    for (int c = 0; c < k; c++) {
      labelMean[c] = label ? moments.mean(d + c) : 0.0;
      labelScale[c] = label ? spread(d + c) : 1.0;
    }
    return new Scaling(mean, scale, labelMean, labelScale);
  }

  /**
   * The scale of column j: its population standard deviation; 1 for a constant column; half the
   * range for values that differ yet whose deviation rounds to 0 (a spread of a few units in the
   * last place of subnormal numbers).
   */
  private double spread(int j) {
    if (moments.constant(j)) {
      return 1.0;
    }
    double sd = moments.sd(j);
    return sd > 0 ? sd : Math.max((moments.max[j] - moments.min[j]) / 2, Double.MIN_VALUE);
  }

  /**
   * Refuses a standardized column whose mean, scale or M2 is not finite (x - mean may overflow
   * as well).
   *
   * @param names a name per column: the features, then the labels
   */
  void refuseOverflow(BlockData.Spec spec, List<String> names, Scaling s) {
    int d = spec.features();
    for (int j = 0; j < d + spec.outputs(); j++) {
      boolean used = j < d ? spec.standardizeFeatures() : spec.standardizeLabel();
      double mean = j < d ? s.mean()[j] : s.labelMeans()[j - d];
      double scale = j < d ? s.scale()[j] : s.labelScales()[j - d];
      if (used && !(Double.isFinite(mean) && Double.isFinite(scale)
          && Double.isFinite(moments.m2(j)))) {
        throw Refusals.overflow(column(names, d, j), moments.n, moments.mean(j), moments.m2(j));
      }
    }
  }

  /** "feature 'bmi' is constant (2.0) over the 10 training rows: centred, not scaled". */
  List<String> constantColumns(BlockData.Spec spec, List<String> names) {
    List<String> out = new ArrayList<>();
    int d = spec.features();
    for (int j = 0; j < d + spec.outputs(); j++) {
      if (moments.constant(j)) {
        boolean scaled = j < d ? spec.standardizeFeatures() : spec.standardizeLabel();
        out.add(column(names, d, j) + " is constant (" + moments.min[j] + ") over the "
            + moments.n + " training rows"
            + (scaled ? (j < d ? ": centred, not scaled" : ": not scaled") : ""));
      }
    }
    return out;
  }

  /** "feature 'bmi'" or "the label 'y[1]'". */
  private static String column(List<String> names, int d, int j) {
    return (j < d ? "feature '" : "the label '") + names.get(j) + "'";
  }
}
