package io.sparkbackprop.cli;

import io.sparkbackprop.errors.FileFormatException;
import io.sparkbackprop.io.HadoopFiles;
import io.sparkbackprop.errors.OutputException;
import io.sparkbackprop.errors.TrainingFailed;
import io.sparkbackprop.errors.DataException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the command line prints for a failure, and its exit code: bad input (options, data,
 * files) is one line and exit code 2; a training failure one line and exit code 1; anything else
 * one line naming the exception and exit code 1 (the stack trace only with SBP_DEBUG set). The
 * library's messages name its Params; here they are given the options' names, and the hints
 * of the command line.
 */
final class Failures {
  /** The one line ("error: ..." without the prefix) and the exit code. */
  record Report(String line, int exitCode) {}

  private Failures() {}

  /**
   * @param where what the input is called (its path), prefixed to data errors; may be null
   * @param validationWhere the validation table's path, for errors in the validation rows only
   * @param options the command's Param-to-option names, for messages from the library
   */
  static Report of(Throwable e, String command, String where, String validationWhere,
      Map<String, String> options) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Sessions.NotRegistered n) {
        return new Report(n.getMessage(), 1);
      }
      if (t instanceof UsageException u) {
        return new Report(u.getMessage(), 2);
      }
      if (t instanceof DataException d) {
        String file = d.validationSide() && validationWhere != null ? validationWhere : where;
        String hint = switch (d.kind()) {
          case INVALID_VALUES -> "; use --drop-invalid to skip those rows";
          case OVERFLOW -> "; scale the column down";
          default -> "";
        };
        // A data fact names columns and values, never Params: nothing in it is renamed.
        return new Report((file == null ? "" : file + ": ") + d.fact() + hint, 2);
      }
      if (t instanceof FileFormatException || t instanceof OutputException) {
        String hint = t instanceof OutputException o && o.kind() == OutputException.Kind.EXISTS
            ? " (use --overwrite to replace it)" : "";
        return new Report(t.getMessage() + hint, 2);
      }
      if (t instanceof TrainingFailed f) {
        String hint = switch (f.kind()) {
          case DIVERGED -> "; a smaller --lr may help; no model was written";
          case CHECKPOINT_MISMATCH -> "; start without --resume, or with the same options";
          default -> "";
        };
        return new Report(rename(f.fact(), options) + hint, f.kind() == TrainingFailed.Kind.DIVERGED
            ? 1 : 2);
      }
      if (t instanceof IllegalArgumentException a && a.getMessage() != null
          && !(t.getCause() instanceof Exception)) {
        return new Report(command + ": " + rename(a.getMessage(), options), 2);
      }
      String unreadable = unreadableInput(t);
      if (unreadable != null && where != null) {
        return new Report(where + ": not readable as Parquet (corrupt, or not Parquet): "
            + unreadable, 2);
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new Report(command + " failed: " + root.getClass().getSimpleName() + ": "
        + firstLine(root.getMessage()), 1);
  }

  /** The reader's own words when {@code t} says a Parquet file could not be read, else null. */
  private static String unreadableInput(Throwable t) {
    String m = t.getMessage();
    if (m == null) {
      return null;
    }
    if (m.contains("is not a Parquet file") || m.contains("Could not read footer")
        || m.contains("[CANNOT_READ_FILE_FOOTER]") || m.contains("Unable to infer schema")
        || m.contains("[UNABLE_TO_INFER_SCHEMA]") || m.contains("can not read class")
        || m.contains("[FAILED_READ_FILE")) {
      Throwable inner = t;
      while (inner.getCause() != null && inner.getCause() != inner) {
        inner = inner.getCause();
      }
      return firstLine(inner.getClass().getSimpleName() + ": " + inner.getMessage());
    }
    return null;
  }

  /** A quoted name ('...', as messages quote columns and values) or a word. */
  private static final Pattern WORD = Pattern.compile("'[^']*'|\\b[a-zA-Z][a-zA-Z0-9]*\\b");

  /**
   * Each Param name in {@code message} replaced by its option, e.g. stepSize by --lr; a quoted
   * name (a column's, e.g. 'seed') is left as it is.
   */
  static String rename(String message, Map<String, String> options) {
    if (options.isEmpty()) {
      return message;
    }
    Matcher m = WORD.matcher(message);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String option = m.group().startsWith("'") ? null : options.get(m.group());
      m.appendReplacement(sb, Matcher.quoteReplacement(option != null ? option : m.group()));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * The log file of this run when it holds an error (Spark's own log lines, which the launch
   * scripts send there in local mode: system property sbp.log.file), else null.
   */
  static String details() {
    String f = System.getProperty("sbp.log.file");
    if (f == null) {
      return null;
    }
    java.nio.file.Path p = java.nio.file.Path.of(f);
    try {
      if (java.nio.file.Files.size(p) == 0) {
        return null;
      }
      try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(p)) {
        return lines.anyMatch(l -> l.contains(" ERROR ") || l.contains("Exception")) ? f : null;
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return null;
    }
  }

  static String firstLine(String s) {
    return HadoopFiles.firstLine(s);
  }
}
