package io.sparkbackprop.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import org.apache.spark.ml.param.Param;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help text of the options that map to Params: each Param's own doc, so that it is written
 * once, where the Param is declared. picocli reads it as a command's resource bundle. One bundle
 * per command, holding only the Params that command's options name in {@code descriptionKey}:
 * picocli also looks an option up by its bare name, so a bundle with every Param would give an
 * option that merely shares a Param's name (gradcheck's {@code --seed}, train's {@code --layers})
 * the Param's doc instead of its own description.
 */
final class ParamDocs extends ListResourceBundle {
  private final Object[][] contents;

  /** The docs of the Params that {@code spec}'s options map to ({@link ParamOptions#param}). */
  ParamDocs(CommandSpec spec) {
    List<Object[]> out = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      Param<?> p = ParamOptions.param(o);
      if (p != null) {
        out.add(new Object[] {p.name(), p.doc()});
      }
    }
    contents = out.toArray(new Object[0][]);
  }

  @Override protected Object[][] getContents() {
    return contents;
  }
}
