package io.sparkbackprop.ml;

import java.util.Locale;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;

/**
 * The data beyond Spark's featuresCol, labelCol and predictionCol: row weights, invalid rows,
 * and the standardization of features and label.
 */
public interface DataParams extends ParamTable.Owner {
  default Param<String> weightCol() {
    return table().stringParam("weightCol", null, "a column name", s -> true, "weight column"
        + " name (as MLlib's HasWeightCol): a numeric column of row weights >= 0; the objective"
        + " becomes sum_i w_i L_i / sum_i w_i, standardization and metrics are weighted, a row of"
        + " weight 0 contributes nothing; a null, NaN, infinite or negative weight is an invalid"
        + " value (handleInvalid). If this is not set or empty, we treat all instance weights as"
        + " 1.0");
  }

  /** The weight column's name, or null when not set or empty (every row weighs 1). */
  default String getWeightCol() {
    return isDefined(weightCol()) && !getOrDefault(weightCol()).isEmpty()
        ? getOrDefault(weightCol()) : null;
  }

  default Param<String> handleInvalid() {
    return table().stringParam("handleInvalid", "error", "one of error, skip",
        ParamChecks.oneOf("error", "skip"), "rows with a null, NaN or infinite feature or label:"
            + " error (refuse the data) or skip (leave them out)");
  }

  default String getHandleInvalid() {
    return getOrDefault(handleInvalid()).toLowerCase(Locale.ROOT);
  }

  default BooleanParam standardization() {
    return table().booleanParam("standardization", true, "standardize the features to mean 0"
        + " and standard deviation 1 over the training rows (kept in the model, so predictions"
        + " take raw features)");
  }

  default boolean getStandardization() {
    return (Boolean) getOrDefault(standardization());
  }

  default BooleanParam standardizeLabel() {
    return table().booleanParam("standardizeLabel", true, "standardize the label likewise"
        + " (predictions come back in the label's units)");
  }

  default boolean getStandardizeLabel() {
    return (Boolean) getOrDefault(standardizeLabel());
  }
}
