package io.sparkbackprop.ml;

import io.sparkbackprop.spark.ColumnNames;
import io.sparkbackprop.errors.DataException;
import io.sparkbackprop.spark.FeatureColumn;
import java.util.Arrays;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataTypes;
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
      FeatureColumn.label(schema, label, outputs(p));
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
    return schema.add(prediction, outputs(p) == 1 ? DataTypes.DoubleType
        : new org.apache.spark.ml.linalg.VectorUDT(), false);
  }

  /** The network's output width by the layers Param (1 when it is not set). */
  private static int outputs(MultilayerPerceptronParams p) {
    if (!p.isDefined(p.layers())) {
      return 1;
    }
    int[] w = p.getLayers();
    return w.length == 0 ? 1 : w[w.length - 1];
  }

  private static StructField field(StructType schema, String name, String what) {
    return ColumnNames.field(schema, name, what);
  }
}
