package io.sparkbackprop.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * What differs between the Spark versions this project builds for, in one place; this is the
 * Spark 3.5 side (the spark35 Maven profile; the default build compiles src/spark4's).
 */
public final class SparkCompat {
  private SparkCompat() {}

  /** The Spark version this build was compiled against, e.g. "3.5". */
  public static final String LINE = "3.5";

  /** Spark ML's metadata JSON of {@code p}: Spark 3.5 takes the SparkContext. */
  public static String metadataJson(Params p, SparkSession spark) {
    return DefaultParamsWriter$.MODULE$.getMetadataToSave(p, spark.sparkContext(), Option.empty(),
        Option.empty());
  }

  /** Spark 3.5 has no saveToLocal / loadFromLocal. */
  public static boolean localSavingMode() {
    return false;
  }

  /** An encoder of Rows of {@code schema}. */
  public static Encoder<Row> rowEncoder(StructType schema) {
    return Encoders.row(schema);
  }

  /** A Param (Spark 3.5's Param has no value class). */
  public static <T> Param<T> param(String parent, String name, String doc,
      scala.Function1<T, Object> isValid, Class<T> type) {
    return new Param<>(parent, name, doc, isValid);
  }
}
