package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Activation;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.storage.StorageLevel;
import scala.Function1;

/** The validators of {@link MultilayerPerceptronParams}: serializable, with messages that say why. */
final class ParamChecks {
  private ParamChecks() {}

  /** A test that may throw, serializable (validators travel with the model). */
  interface Test<T> extends Serializable {
    boolean ok(T value);
  }

  /**
   * A validator that throws an IllegalArgumentException naming the param and its range, instead
   * of Spark's "given invalid value" without the range.
   */
  static <T> Function1<T, Object> checked(String name, String range, Test<T> test) {
    return (Function1<T, Object> & Serializable) v -> {
      if (!test.ok(v)) {
        throw new IllegalArgumentException(name + " must be " + range + ", got " + show(v));
      }
      return Boolean.TRUE;
    };
  }

  /** As {@link #checked(String, String, Test)}, for one of Spark's ParamValidators. */
  static <T> Function1<T, Object> checked(String name, String range, Function1<T, Object> spark) {
    return checked(name, range, (Test<T>) v -> (Boolean) spark.apply(v));
  }

  private static String show(Object v) {
    return v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v);
  }

  /** Whether a value is one of {@code names}, in any case. */
  static Test<String> oneOf(String... names) {
    List<String> allowed = List.of(names);
    return s -> allowed.contains(s.toLowerCase(Locale.ROOT));
  }

  /** Whether {@code s} names one of Spark's storage levels but NONE. */
  static boolean storageLevelValid(String s) {
    try {
      return StorageLevel.fromString(s) != StorageLevel.NONE();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code s} is one activation name, or several separated by commas. */
  static boolean activationsValid(String s) {
    for (String name : s.split(",", -1)) {
      try {
        Activation.parse(name);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return true;
  }
}
