package io.sparkbackprop.spark;

import io.sparkbackprop.errors.DataException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;

/**
 * Every refusal of the data, as one line naming the column and the rows or values at fault: the
 * one place where the library's {@link DataException} messages are worded. Row positions are
 * 0-based, in input order.
 */
final class Refusals {
  static final String SKIP_HINT = "set handleInvalid to \"skip\" to leave those rows out";

  private Refusals() {}

  /** "the weight column 'w' is string, not numeric". */
  static DataException wrongType(String what, String name, StructField f, String wanted) {
    return new DataException(DataException.Kind.WRONG_TYPE, "the " + what + " column '" + name
        + "' is " + f.dataType().simpleString() + ", not " + wanted, "");
  }

  /** A features column whose ML attributes declare another width than the network's input. */
  static DataException declaredWidth(String featuresCol, int declared, int d) {
    return new DataException(DataException.Kind.WIDTH, "the features column '" + featuresCol
        + "' holds vectors of " + declared + " values (by its metadata), but the network takes "
        + d + " inputs", "make layers[0] equal to the vector size");
  }

  /** Throws for rows of the wrong length, features first, then vector labels. */
  static void wrongLengths(RowCheck c, RowFaults all) {
    RowFaults.WrongLength f = all.features;
    if (f.count > 0) {
      throw new DataException(DataException.Kind.WIDTH, wrongLength(c.names.features(), c.d,
          f, all.rows - all.nullFeatures, "inputs"),
          "every row needs the same number of features as layers[0]");
    }
    RowFaults.WrongLength l = all.labels;
    if (l.count > 0) {
      throw new DataException(DataException.Kind.WIDTH, wrongLength(c.names.label(), c.k, l,
          all.rows - all.nullLabels, "outputs"),
          "every label needs as many values as the network's last layer");
    }
  }

  /**
   * "2 of 9 rows of 'x' have a length other than 3; the first is row 4 (0-based, in input
   * order), with 2 values [1.0, 2.0], and the network takes 3 inputs".
   *
   * @param rows the non-null rows of the column
   * @param what "inputs" (features) or "outputs" (a vector label)
   */
  static String wrongLength(String column, int d, RowFaults.WrongLength w, long rows,
      String what) {
    return (w.count == rows
        ? "every row of '" + column + "' has a length other than " + d + "; the first, row "
        : w.count + " of " + rows + " rows of '" + column + "' have a length other than " + d
            + "; the first is row ")
        + w.firstRow + " (0-based, in input order), with " + w.firstLength
        + (w.firstLength == 1 ? " value " : " values ") + w.firstValues
        + (what.equals("inputs") ? ", and the network takes " + d + " inputs"
            : ", and the network has " + d + " " + what);
  }

  /**
   * "3 of 9 rows have a null, NaN or infinite value (a: 1, label: 2); the first is row 4
   * (0-based, in input order), a = NaN".
   *
   * @param names a name per feature value
   * @param validationSide whether only validation rows are at fault
   */
  static DataException invalidValues(RowCheck c, List<String> names, RowFaults all,
      boolean validationSide) {
    return new DataException(DataException.Kind.INVALID_VALUES, all.invalidRows + " of "
        + all.rows + " rows have a null, NaN or infinite value" + (c.weighted()
            ? " or a negative weight" : "") + " (" + invalidColumns(c, names, all)
            + "); the first is " + firstInvalid(c, names, all), SKIP_HINT, validationSide);
  }

  /** "a: 1, b: 2, label: 1": the count of invalid values per column. */
  private static String invalidColumns(RowCheck c, List<String> names, RowFaults all) {
    List<String> cols = new ArrayList<>();
    for (int j = 0; j < c.d; j++) {
      if (all.invalid[j] > 0) {
        cols.add(names.get(j) + ": " + all.invalid[j]);
      }
    }
    if (all.nullFeatures > 0) {
      cols.add(c.names.features() + " (null): " + all.nullFeatures);
    }
    if (all.invalid[c.label()] > 0) {
      cols.add(c.names.label() + ": " + all.invalid[c.label()]);
    }
    if (all.invalid[c.indicator()] > 0) {
      cols.add(c.names.indicator() + " (null): " + all.invalid[c.indicator()]);
    }
    if (all.invalid[c.weight()] > 0) {
      cols.add(c.names.weight() + ": " + all.invalid[c.weight()]);
    }
    return String.join(", ", cols);
  }

  /** "row 3 (0-based, in input order), bmi = NaN": where the first invalid value is. */
  private static String firstInvalid(RowCheck c, List<String> names, RowFaults all) {
    if (all.firstInvalidRow < 0) {
      return "not known";
    }
    int j = all.firstInvalidColumn;
    String column = j < 0 ? c.names.features() : j < c.d ? names.get(j)
        : j == c.label() ? labelName(c.names.label(), c.k, all.firstInvalidValue.equals("null")
            ? -1 : all.firstInvalidOutput)
        : j == c.indicator() ? c.names.indicator() : c.names.weight();
    return "row " + all.firstInvalidRow + " (0-based, in input order), " + column + " = "
        + all.firstInvalidValue;
  }

  /** The label column's name, with [c] for output c of a vector label (c < 0: the column). */
  static String labelName(String labelCol, int k, int c) {
    return k == 1 || c < 0 ? labelCol : labelCol + "[" + c + "]";
  }

  /**
   * No training rows (none at all, none left after invalid ones, every weight 0), or no
   * validation rows.
   */
  static void noRows(BlockData.Spec spec, ColumnStats all) {
    long rows = all.faults.rows;
    long bad = all.faults.invalidRows;
    String dropped = bad > 0 ? " after leaving out " + bad + " with a null, NaN or infinite value"
        : "";
    if (all.valid[0] == 0 && all.zeroWeight[0] > 0) {
      throw new DataException(DataException.Kind.NO_ROWS, "every training row's weight in '"
          + spec.weightCol() + "' is 0 (" + all.zeroWeight[0] + " rows" + dropped + ")",
          "give some rows a positive weight");
    }
    if (all.valid[0] == 0) {
      throw new DataException(DataException.Kind.NO_ROWS, (rows == 0 ? "no rows"
          : "no training rows left of " + rows + dropped), "");
    }
    if (spec.hasValidation() && all.valid[1] == 0) {
      throw new DataException(DataException.Kind.NO_ROWS, "no validation rows"
          + (rows > 0 ? " among the " + rows + dropped : ""),
          spec.split() != null ? "a larger validation fraction may help" : "", true);
    }
  }

  /** No valid rows to evaluate, or every weight 0. */
  static void noRowsToEvaluate(String weightCol, long n, double weight, long bad) {
    if (n == 0) {
      throw new DataException(DataException.Kind.NO_ROWS, "no rows to evaluate" + (bad > 0
          ? " (all " + bad + " have a null, NaN or infinite value)" : ""), "");
    }
    if (!(weight > 0)) {
      throw new DataException(DataException.Kind.NO_ROWS, "every weight in '" + weightCol
          + "' is 0: no rows to evaluate", "give some rows a positive weight");
    }
  }

  /** A column whose mean or variance overflows a double cannot be standardized. */
  static DataException overflow(String column, long n, double mean, double m2) {
    return new DataException(DataException.Kind.OVERFLOW, column + " cannot be standardized:"
        + " its values are too large for a double (the mean or variance of the " + n
        + " training rows overflows: mean " + mean + ", M2 " + m2 + ")", "scale the column down");
  }
}
