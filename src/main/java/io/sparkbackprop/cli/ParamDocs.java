package io.sparkbackprop.cli;

import java.util.ListResourceBundle;
import org.apache.spark.ml.param.Param;

/**
 * The help text of the options that map to Params: each Param's own doc, so that it is written
 * once, where the Param is declared. picocli reads it as the commands' resource bundle.
 */
public final class ParamDocs extends ListResourceBundle {
  @Override protected Object[][] getContents() {
    Param<?>[] params = ParamOptions.DEFAULTS.params();
    Object[][] out = new Object[params.length][];
    for (int i = 0; i < params.length; i++) {
      out[i] = new Object[] {params[i].name(), params[i].doc()};
    }
    return out;
  }
}
