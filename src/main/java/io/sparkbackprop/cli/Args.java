package io.sparkbackprop.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed {@code --name value} options and {@code --flag} switches. Every option a command reads
 * must be declared, so that a misspelt option is an error rather than silently ignored.
 */
public final class Args {
  private final String command;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Set<String> flags = new LinkedHashSet<>();
  /** Every value of each option, in order, for options given more than once. */
  private final Map<String, List<String>> all = new LinkedHashMap<>();

  private Args(String command) {
    this.command = command;
  }

  /**
   * @param valued option names that take a value (without the leading dashes)
   * @param switches option names that take none
   */
  public static Args parse(String command, String[] argv, Set<String> valued, Set<String> switches) {
    return parse(command, argv, valued, switches, Set.of());
  }

  /**
   * @param optional options whose value may be left out (last on the line, or followed by another
   *     {@code --option}); a left-out value reads as the empty string
   */
  public static Args parse(String command, String[] argv, Set<String> valued, Set<String> switches,
      Set<String> optional) {
    Args a = new Args(command);
    for (int i = 0; i < argv.length; i++) {
      String s = argv[i];
      if (!s.startsWith("--")) {
        throw new UsageException(command + ": unexpected argument '" + s + "' (see --help)");
      }
      String name = s.substring(2);
      String inline = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        inline = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (switches.contains(name) && inline == null) {
        a.flags.add(name);
      } else if (valued.contains(name) || optional.contains(name)) {
        String v = inline;
        if (v == null && optional.contains(name)
            && (i + 1 >= argv.length || argv[i + 1].startsWith("--"))) {
          v = "";
        }
        if (v == null) {
          if (i + 1 >= argv.length) {
            throw new UsageException(command + ": option --" + name + " needs a value");
          }
          v = argv[++i];
        }
        a.values.put(name, v);
        a.all.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
      } else {
        throw new UsageException(command + ": unknown option --" + name + " (see --help)");
      }
    }
    return a;
  }

  public boolean has(String name) {
    return values.containsKey(name) || flags.contains(name);
  }

  public boolean flag(String name) {
    return flags.contains(name);
  }

  public String get(String name, String dflt) {
    return values.getOrDefault(name, dflt);
  }

  /** Every value given for {@code name}, in order (empty when it was not given). */
  public List<String> getAll(String name) {
    return List.copyOf(all.getOrDefault(name, List.of()));
  }

  public String require(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new UsageException(command + ": option --" + name + " is required (see --help)");
    }
    return v;
  }

  public int getInt(String name, int dflt, int min) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    int x;
    try {
      x = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": --" + name + " must be an integer, got '" + v + "'");
    }
    if (x < min) {
      throw new UsageException(command + ": --" + name + " must be at least " + min + ", got " + x);
    }
    return x;
  }

  public long getLong(String name, long dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": --" + name + " must be an integer, got '" + v + "'");
    }
  }

  /** A finite double in [min, max]. */
  public double getDouble(String name, double dflt, double min, double max) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    double x;
    try {
      x = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": --" + name + " must be a number, got '" + v + "'");
    }
    if (!Double.isFinite(x) || x < min || x > max) {
      throw new UsageException(command + ": --" + name + " must be in [" + min + ", " + max
          + "], got " + v);
    }
    return x;
  }

  /** Integers separated by commas, e.g. "10,64,64,1". */
  public int[] getIntList(String name, int[] dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    String[] parts = v.split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new UsageException(command + ": --" + name + " must be integers separated by commas, got '"
            + v + "'");
      }
      if (out[i] < 1) {
        throw new UsageException(command + ": --" + name + " widths must be at least 1, got '" + v + "'");
      }
    }
    return out;
  }
}
