package io.sparkbackprop.cli;

import io.sparkbackprop.ml.MultilayerPerceptronRegressor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one table from options to Params: an option whose {@code descriptionKey} is a Param's name
 * maps to that Param. From it come the option's help text (the Param's doc, {@link ParamDocs}),
 * its default (the Param's, never restated here), the value set on the estimator or model, and
 * the option names the library's messages are given.
 */
final class ParamOptions implements CommandLine.IDefaultValueProvider {
  /** An estimator with nothing set: the Params' docs and defaults. */
  static final MultilayerPerceptronRegressor DEFAULTS = new MultilayerPerceptronRegressor("defaults");

  /** The Param an option maps to, or null. */
  static Param<?> param(ArgSpec a) {
    String key = a.descriptionKey();
    return key != null && !key.isEmpty() && DEFAULTS.hasParam(key) ? DEFAULTS.getParam(key) : null;
  }

  @Override public String defaultValue(ArgSpec a) {
    Param<?> p = param(a);
    if (p == null || !DEFAULTS.hasDefault(p)) {
      return null;
    }
    Object v = DEFAULTS.getOrDefault(p);
    return v instanceof int[] w ? io.sparkbackprop.nn.Network.joinWidths(w, ",") : v.toString();
  }

  /** Sets every mapped option that has a value on {@code target}. */
  @SuppressWarnings("unchecked")
  static void apply(CommandSpec spec, Params target) {
    for (OptionSpec o : spec.options()) {
      Param<?> p = param(o);
      Object v = o.getValue();
      if (p != null && v != null && target.hasParam(p.name())) {
        target.set((Param<Object>) target.getParam(p.name()), v);
      }
    }
  }

  /** Param name to option name, e.g. stepSize to --lr, for messages. */
  static Map<String, String> names(CommandSpec spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      Param<?> p = param(o);
      if (p != null) {
        out.put(p.name(), o.longestName());
      }
    }
    return out;
  }
}
