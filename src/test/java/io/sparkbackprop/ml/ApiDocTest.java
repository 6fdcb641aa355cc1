package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

/** docs/api.md's Params table lists every Param, with the default the code declares. */
class ApiDocTest {
  private static final Pattern NAME = Pattern.compile("`([a-zA-Z0-9]+)`");

  /** Param name to the default written in the table (null when the cell is "(...)" or a rule). */
  static Map<String, String> table() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    boolean in = false;
    for (String line : Files.readAllLines(Path.of("docs/api.md"))) {
      if (line.startsWith("| Param |")) {
        in = true;
        continue;
      }
      if (in && !line.startsWith("|")) {
        break;
      }
      if (!in || line.startsWith("|---")) {
        continue;
      }
      String[] cells = line.split("\\|");
      List<String> names = new ArrayList<>();
      Matcher m = NAME.matcher(cells[1]);
      while (m.find()) {
        names.add(m.group(1));
      }
      String[] defaults = cells[2].strip().split(", ");
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), defaults.length == names.size() ? defaults[i].strip()
            : defaults.length == 1 ? defaults[0].strip() : null);
      }
    }
    return out;
  }

  @Test
  void everyParamIsInTheTableWithItsDefault() throws IOException {
    Map<String, String> table = table();
    MultilayerPerceptronRegressor e = new MultilayerPerceptronRegressor();
    List<String> missing = new ArrayList<>();
    for (Param<?> p : e.params()) {
      if (!table.containsKey(p.name())) {
        missing.add(p.name());
        continue;
      }
      if (!e.hasDefault(p)) {
        continue;
      }
      String doc = table.get(p.name());
      Object code = e.getDefault(p).get();
      assertTrue(doc != null && same(code, doc.replaceAll(" \\(.*\\)$", "")),
          p.name() + ": the code's default is " + code + ", docs/api.md says " + doc);
    }
    assertEquals(List.of(), missing, "Params missing from docs/api.md's table");
    for (String name : table.keySet()) {
      assertTrue(e.hasParam(name), "docs/api.md lists a Param the estimator does not have: " + name);
    }
  }

  private static boolean same(Object code, String doc) {
    if (code instanceof Number n) {
      try {
        return n.doubleValue() == Double.parseDouble(doc);
      } catch (NumberFormatException ex) {
        return false;
      }
    }
    return String.valueOf(code).equalsIgnoreCase(doc);
  }
}
