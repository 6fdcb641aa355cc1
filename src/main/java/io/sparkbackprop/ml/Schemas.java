package io.sparkbackprop.ml;

import io.sparkbackprop.spark.ColumnNames;
import io.sparkbackprop.spark.DataException;
import io.sparkbackprop.spark.FeatureColumn;
import java.util.Arrays;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The schema check of the estimator and the model: what Spark runs before fit and transform. */
final class Schemas {
  private Schemas() {}

  /**
   * The output schema: {@code schema} and a double prediction column.
   *
   * @param fitting also check the label (and the validation indicator)
   * @throws DataException a column is missing or of the wrong type
   */
  static StructType check(MultilayerPerceptronParams p, StructType schema, boolean fitting) {
    String features = p.getOrDefault(((org.apache.spark.ml.PredictorParams) p).featuresCol());
    FeatureColumn.of(schema, features);
    if (fitting) {
      String label = p.getOrDefault(((org.apache.spark.ml.PredictorParams) p).labelCol());
      StructField lf = field(schema, label, "label");
      if (!(lf.dataType() instanceof NumericType)) {
        throw new DataException(DataException.Kind.WRONG_TYPE, "the label column '" + label
            + "' is " + lf.dataType().simpleString() + ", not numeric", "");
      }
      String v = p.getValidationIndicatorCol();
      if (v != null && !(field(schema, v, "validation indicator").dataType()
          instanceof BooleanType)) {
        throw new DataException(DataException.Kind.WRONG_TYPE, "the validation indicator column '"
            + v + "' is not boolean", "");
      }
    }
    String prediction = p.getOrDefault(((org.apache.spark.ml.PredictorParams) p).predictionCol());
    if (prediction.isEmpty()) {
      return schema;
    }
    if (ColumnNames.taken(Arrays.asList(schema.fieldNames()), prediction)) {
      throw new DataException(DataException.Kind.WRONG_TYPE, "the data already has a column '"
          + prediction + "'", "choose another predictionCol");
    }
    return schema.add(prediction, DataTypes.DoubleType, false);
  }

  private static StructField field(StructType schema, String name, String what) {
    return ColumnNames.field(schema, name, what);
  }
}
