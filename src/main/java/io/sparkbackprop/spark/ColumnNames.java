package io.sparkbackprop.spark;

import io.sparkbackprop.errors.DataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Column names, in one place: a name is any string (dots, spaces, backticks, quotes, unicode) and
 * always means the column of exactly that name, never a path into a struct.
 *
 * <ul>
 *   <li>{@link #quote}: the Spark SQL identifier for a name, in backticks with backticks doubled
 *       ({@code a.b} -> {@code `a.b`}, {@code a`b} -> {@code `a``b`}); {@link #col} the Column.
 *       Every name given to Spark as a string goes through it.</li>
 *   <li>{@link #field}: a name a user gave, resolved against a schema: the column of exactly that
 *       name; else, for a name in backticks ({@code `a.b`}), the column its unquoted text names;
 *       else, when the session is case-insensitive (Spark's default), the one column equal to it
 *       ignoring case. Otherwise a {@link DataException} listing the columns and the close
 *       ones.</li>
 *   <li>{@link #caseClash}: two columns that differ only in case, which a case-insensitive
 *       session cannot tell apart.</li>
 * </ul>
 */
public final class ColumnNames {
  private ColumnNames() {}

  /** The Spark SQL identifier naming exactly the column {@code name}. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** The column {@code name} (taken whole: a dot is part of the name). */
  public static Column col(String name) {
    return functions.col(quote(name));
  }

  /** Whether Spark compares column names ignoring case ({@code spark.sql.caseSensitive=false}). */
  public static boolean ignoreCase() {
    return !SQLConf.get().caseSensitiveAnalysis();
  }

  /**
   * The field {@code name} of {@code schema}, resolved as the class comment says.
   *
   * @param what what the column is for, for the message: "label", "features", ...
   * @throws DataException no such column (naming the columns there are), or two columns that
   *     differ only in case
   */
  public static StructField field(StructType schema, String name, String what) {
    StructField f = find(schema, name);
    String[] clash = ignoreCase()
        ? caseClash(List.of(schema.fieldNames()), f != null ? f.name() : name) : null;
    if (clash != null) {
      throw new DataException(DataException.Kind.NO_COLUMN, caseClashMessage(clash[0], clash[1]),
          "");
    }
    if (f == null) {
      throw new DataException(DataException.Kind.NO_COLUMN, missing(what, List.of(name),
          List.of(schema.fieldNames())), "");
    }
    return f;
  }

  /** The actual name of the column {@code name} resolves to ({@link #field}). */
  public static String resolve(StructType schema, String name, String what) {
    return field(schema, name, what).name();
  }

  /** The field {@code name} resolves to, or null. */
  public static StructField find(StructType schema, String name) {
    for (String n : forms(name)) {
      for (StructField f : schema.fields()) {
        if (f.name().equals(n)) {
          return f;
        }
      }
    }
    if (!ignoreCase()) {
      return null;
    }
    for (String n : forms(name)) {
      StructField found = null;
      for (StructField f : schema.fields()) {
        if (f.name().equalsIgnoreCase(n)) {
          if (found != null) {
            return null;
          }
          found = f;
        }
      }
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Whether a new column {@code name} would collide with one of {@code names} in Spark's eyes. */
  public static boolean taken(List<String> names, String name) {
    for (String n : names) {
      if (n.equals(name) || (ignoreCase() && n.equalsIgnoreCase(name))) {
        return true;
      }
    }
    return false;
  }

  /** A new column name for {@code names}: {@code wanted}, else wanted_1, wanted_2, ... */
  public static String free(List<String> names, String wanted) {
    String name = wanted;
    for (int i = 1; taken(names, name); i++) {
      name = wanted + "_" + i;
    }
    return name;
  }

  /** The name itself and, for a name in backticks, the text they quote (`` as `). */
  private static List<String> forms(String name) {
    List<String> out = new ArrayList<>(List.of(name));
    if (name.length() >= 2 && name.startsWith("`") && name.endsWith("`")) {
      String inner = name.substring(1, name.length() - 1);
      if (!inner.replace("``", "").contains("`")) {
        out.add(inner.replace("``", "`"));
      }
    }
    return out;
  }

  /**
   * "no label column 'y' (columns: a, 'b c'); close: 'Y'": the message for names not found.
   *
   * @param missing the names not found, each shown in quotes
   */
  public static String missing(String what, List<String> missing, List<String> names) {
    List<String> shown = new ArrayList<>();
    List<String> close = new ArrayList<>();
    for (String m : missing) {
      shown.add("'" + m + "'");
      for (String n : names) {
        if (close(m, n) && !close.contains("'" + n + "'")) {
          close.add("'" + n + "'");
        }
      }
    }
    return "no " + what + " column " + String.join(", ", shown) + " (columns: " + list(names)
        + ")" + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?");
  }

  /** Names for a listing, comma separated: a plain name as it is, any other in quotes. */
  public static String list(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(n.matches("[A-Za-z0-9_]+") ? n : "'" + n + "'");
    }
    return String.join(", ", out);
  }

  /**
   * Whether {@code given} is close to the column {@code actual}: the same ignoring case,
   * backticks, spaces, dots and underscores, or at most two edits apart (names of 4 or more).
   */
  static boolean close(String given, String actual) {
    String a = fold(given);
    String b = fold(actual);
    if (a.equals(b)) {
      return true;
    }
    return Math.min(a.length(), b.length()) >= 4 && edits(a, b) <= 2;
  }

  private static String fold(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[`\\s._\"']", "");
  }

  /** Levenshtein distance. */
  private static int edits(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * Two of {@code names} equal ignoring case, the first such pair in order; or null.
   *
   * @param involving only a pair equal to this name ignoring case (null: any pair)
   */
  public static String[] caseClash(List<String> names, String involving) {
    for (int i = 0; i < names.size(); i++) {
      for (int j = i + 1; j < names.size(); j++) {
        if (names.get(i).equalsIgnoreCase(names.get(j)) && (involving == null
            || names.get(i).equalsIgnoreCase(involving))) {
          return new String[] {names.get(i), names.get(j)};
        }
      }
    }
    return null;
  }

  /** The message for two columns that differ only in case. */
  public static String caseClashMessage(String a, String b) {
    return "columns '" + a + "' and '" + b + "' differ only in case, which Spark does not tell"
        + " apart (spark.sql.caseSensitive is false): rename one of them";
  }
}
