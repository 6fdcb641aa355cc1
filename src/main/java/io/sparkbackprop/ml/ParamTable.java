package io.sparkbackprop.ml;

import io.sparkbackprop.spark.SparkCompat;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The Param instances of one estimator or model, by name. A theme's interface (e.g.
 * {@link SolverParams}) declares each Param in its accessor, with name, default, range and doc
 * in one call here: the first call creates the Param (its validator naming the range,
 * {@link ParamChecks}) and gives the owner its default; every later call returns that same
 * instance. The owner asks for all of them in its constructor ({@link #declareAll}), so every
 * default is in place before anything reads, copies or saves them.
 *
 * <p>A default of {@code null} means none: the Param is optional, and its doc says what happens
 * when it is not set.
 */
public final class ParamTable implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A Params whose own Params live in a table (the estimator and the model). */
  public interface Owner extends Params {
    /** This object's table (each estimator and model has its own). */
    ParamTable table();
  }

  private final Params owner;
  private final Map<String, Param<?>> byName = new HashMap<>();

  ParamTable(Params owner) {
    this.owner = owner;
  }

  /**
   * Creates every Param of {@code owner} with its default: Spark's {@code params()} calls each
   * public no-argument method returning a Param, that is each accessor.
   */
  static void declareAll(Owner owner) {
    owner.params();
  }

  IntParam intParam(String name, Integer byDefault, String range, Function1<Object, Object> valid,
      String doc) {
    return declare(name, byDefault,
        () -> new IntParam(owner, name, doc, ParamChecks.checked(name, range, valid)));
  }

  LongParam longParam(String name, Long byDefault, String doc) {
    return declare(name, byDefault, () -> new LongParam(owner, name, doc));
  }

  DoubleParam doubleParam(String name, Double byDefault, String range,
      Function1<Object, Object> valid, String doc) {
    return declare(name, byDefault,
        () -> new DoubleParam(owner, name, doc, ParamChecks.checked(name, range, valid)));
  }

  BooleanParam booleanParam(String name, Boolean byDefault, String doc) {
    return declare(name, byDefault, () -> new BooleanParam(owner, name, doc));
  }

  IntArrayParam intArrayParam(String name, String range, ParamChecks.Test<int[]> ok, String doc) {
    return declare(name, null,
        () -> new IntArrayParam(owner, name, doc, ParamChecks.checked(name, range, ok)));
  }

  /** A string Param; {@code ok} sees only non-null values (null is refused). */
  Param<String> stringParam(String name, String byDefault, String range,
      ParamChecks.Test<String> ok, String doc) {
    return declare(name, byDefault, () -> SparkCompat.param(owner.uid(), name, doc,
        ParamChecks.checked(name, range, (String s) -> s != null && ok.ok(s)), String.class));
  }

  /** A Vector Param without a default (null is refused). */
  Param<Vector> vectorParam(String name, String doc) {
    return declare(name, null, () -> SparkCompat.param(owner.uid(), name, doc,
        ParamChecks.checked(name, "a vector", (Vector v) -> v != null), Vector.class));
  }

  @SuppressWarnings("unchecked")
  private synchronized <T, P extends Param<T>> P declare(String name, T byDefault,
      Supplier<P> make) {
    P known = (P) byName.get(name);
    if (known != null) {
      return known;
    }
    P p = make.get();
    byName.put(name, p);
    if (byDefault != null) {
      owner.setDefault(p, byDefault);
    }
    return p;
  }
}
