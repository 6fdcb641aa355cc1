package io.sparkbackprop.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.ReadWriteUtils$;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * What differs between the Spark versions this project builds for, in one place; this is the
 * Spark 4 side (src/spark4; the spark35 Maven profile compiles src/spark35's instead).
 */
public final class SparkCompat {
  private SparkCompat() {}

  /** The Spark version this build was compiled against, e.g. "4". */
  public static final String LINE = "4";

  /** Spark ML's metadata JSON of {@code p} (class, uid, Params), as DefaultParamsWriter writes it. */
  public static String metadataJson(Params p, SparkSession spark) {
    return DefaultParamsWriter$.MODULE$.getMetadataToSave(p, spark);
  }

  /**
   * Whether Spark 4.1's ReadWriteUtils (MLWriter.saveToLocal / MLReader.loadFromLocal) is on the
   * runtime's classpath: Spark 4.0 has neither (the jar built for 4.2 also runs on 4.0).
   */
  private static final boolean HAS_LOCAL_SAVING =
      onClasspath("org.apache.spark.ml.util.ReadWriteUtils$");

  /**
   * Whether MLWriter.saveToLocal / MLReader.loadFromLocal (Spark Connect) is under way here; always
   * false on Spark 4.0, which has no such mode.
   */
  public static boolean localSavingMode() {
    if (!HAS_LOCAL_SAVING) {
      return false;
    }
    Object v = ReadWriteUtils$.MODULE$.localSavingModeState().get();
    return v instanceof Boolean b && b;
  }

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, SparkCompat.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** An encoder of Rows of {@code schema}. */
  public static Encoder<Row> rowEncoder(StructType schema) {
    return Encoders.row(schema);
  }

  /** A typed Param (Spark 4 records its value class, for JSON and Spark Connect). */
  public static <T> Param<T> param(String parent, String name, String doc,
      scala.Function1<T, Object> isValid, Class<T> type) {
    return new Param<>(parent, name, doc, isValid, type);
  }
}
