package io.sparkbackprop.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RowCheck} found wrong in the rows of one input partition, or (merged) of the whole
 * input: counts per column and the first row at fault of each kind, for {@link Refusals}.
 * Row positions are 0-based in input order: within the partition, and after {@link #merge}
 * within the whole input.
 */
final class RowFaults implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows whose features (or vector label) have another length: how many, and the first. */
  static final class WrongLength implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    long firstRow = -1;
    int firstLength;
    String firstValues;

    void add(long row, int length, String values) {
      if (count++ == 0) {
        firstRow = row;
        firstLength = length;
        firstValues = values;
      }
    }

    /** this += o, o's rows coming after {@code before} rows of this. */
    void merge(WrongLength o, long before) {
      if (count == 0 && o.count > 0) {
        firstRow = before + o.firstRow;
        firstLength = o.firstLength;
        firstValues = o.firstValues;
      }
      count += o.count;
    }
  }

  final int partition;
  long rows;
  /** Rows that are invalid (null, NaN, infinite or negative-weight values; a null indicator). */
  long invalidRows;
  long nullFeatures;
  long nullLabels;
  final WrongLength features = new WrongLength();
  final WrongLength labels = new WrongLength();
  /**
   * Invalid values of feature 0..d-1, then of the label ({@link RowCheck#label}), the
   * indicator ({@link RowCheck#indicator}) and the weight ({@link RowCheck#weight}).
   */
  final long[] invalid;
  /** The first row with an invalid value: its index, the column (-1: null features), the value. */
  long firstInvalidRow = -1;
  int firstInvalidColumn;
  /** The output of a vector label at fault in the first invalid row. */
  int firstInvalidOutput;
  String firstInvalidValue;

  RowFaults(int partition, int d) {
    this.partition = partition;
    this.invalid = new long[d + 3];
  }

  /** Records the first invalid value (the first call only). */
  void firstInvalid(long row, int column, int output, String value) {
    if (firstInvalidRow < 0) {
      firstInvalidRow = row;
      firstInvalidColumn = column;
      firstInvalidOutput = output;
      firstInvalidValue = value;
    }
  }

  /** The whole input: the partitions' faults summed in partition order, first rows made global. */
  static RowFaults merge(List<RowFaults> parts, int d) {
    List<RowFaults> sorted = new ArrayList<>(parts);
    sorted.sort((a, b) -> Integer.compare(a.partition, b.partition));
    RowFaults all = new RowFaults(-1, d);
    for (RowFaults p : sorted) {
      all.features.merge(p.features, all.rows);
      all.labels.merge(p.labels, all.rows);
      if (p.firstInvalidRow >= 0) {
        all.firstInvalid(all.rows + p.firstInvalidRow, p.firstInvalidColumn,
            p.firstInvalidOutput, p.firstInvalidValue);
      }
      all.rows += p.rows;
      all.invalidRows += p.invalidRows;
      all.nullFeatures += p.nullFeatures;
      all.nullLabels += p.nullLabels;
      for (int j = 0; j < all.invalid.length; j++) {
        all.invalid[j] += p.invalid[j];
      }
    }
    return all;
  }
}
