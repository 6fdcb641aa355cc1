package io.sparkbackprop.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What an output may replace: the one rule, shared by {@link AtomicDir}, the model writer and
 * the command line (its checks up front and its Parquet output). Nothing is replaced that is not recognisably ours or
 * Spark's output:
 *
 * <ul>
 *   <li>{@link Kind#MODEL}: a model directory, i.e. {@code model.json} plus only
 *       {@code metadata} (a file, or a directory of Spark's text output), {@code history.csv},
 *       {@code loss.png} and hidden {@code .crc} / {@code _}-prefixed files;
 *   <li>{@link Kind#PARQUET}: Spark's Parquet output, i.e. only {@code _SUCCESS}, {@code part-*}
 *       files, hidden {@code .crc} files, {@code _}-prefixed files and a {@code _temporary}
 *       directory;
 *   <li>either: an empty directory;
 *   <li>{@link Kind#ANY}: anything (Spark's meaning of overwrite; the model writer's).
 * </ul>
 *
 * <p>Whatever the kind, a target that is, holds, or lies inside data being read (the inputs) is
 * refused; the command line also refuses its working places ({@link #checkPlace}).
 */
public final class OutputTarget {
  /** What an output is, so what it may replace. */
  public enum Kind {
    MODEL("a model"), PARQUET("Spark's Parquet output"), ANY("anything");

    private final String words;

    Kind(String words) {
      this.words = words;
    }
  }

  /** The command line's training outputs beside model.json. */
  public static final String HISTORY_FILE = "history.csv";
  public static final String LOSS_PLOT_FILE = "loss.png";

  private static final Set<String> MODEL_FILES = Set.of(ModelDir.METADATA, SavedModel.FILE,
      HISTORY_FILE, LOSS_PLOT_FILE);

  private OutputTarget() {}

  /**
   * Why the existing {@code target} may not be replaced by an output of {@code kind}, in words
   * (e.g. {@code holds files that are not a model (notes.txt, a.csv)}), or null when it may.
   */
  public static String foreign(FileSystem fs, Path target, Kind kind) throws IOException {
    if (kind == Kind.ANY) {
      return null;
    }
    FileStatus st = fs.getFileStatus(target);
    if (!st.isDirectory()) {
      return "is a file, not " + kind.words;
    }
    FileStatus[] entries = fs.listStatus(target);
    if (entries.length == 0) {
      return null;
    }
    List<String> others = new ArrayList<>();
    boolean hasModel = false;
    for (FileStatus f : entries) {
      String name = f.getPath().getName();
      boolean ok = kind == Kind.MODEL ? modelEntry(fs, f) : parquetEntry(f);
      hasModel |= name.equals(SavedModel.FILE) && f.isFile();
      if (!ok) {
        others.add(name + (f.isDirectory() ? "/" : ""));
      }
    }
    if (!others.isEmpty()) {
      others.sort(null);
      String shown = String.join(", ", others.subList(0, Math.min(5, others.size())))
          + (others.size() > 5 ? ", ... " + others.size() + " in all" : "");
      return "holds files that are not " + kind.words + " (" + shown + ")";
    }
    if (kind == Kind.MODEL && !hasModel) {
      return "holds no " + SavedModel.FILE + ", so it is not a model";
    }
    return null;
  }

  private static boolean modelEntry(FileSystem fs, FileStatus f) throws IOException {
    String name = f.getPath().getName();
    if (name.equals(ModelDir.METADATA) && f.isDirectory()) {
      for (FileStatus g : fs.listStatus(f.getPath())) {
        if (!parquetEntry(g)) {
          return false;
        }
      }
      return true;
    }
    return f.isFile() && (MODEL_FILES.contains(name) || hidden(name));
  }

  /** Spark's output files: _SUCCESS, part-*, .crc side files, _-prefixed files, _temporary/. */
  private static boolean parquetEntry(FileStatus f) {
    String name = f.getPath().getName();
    if (f.isDirectory()) {
      return name.equals("_temporary");
    }
    return name.startsWith("part-") || hidden(name);
  }

  private static boolean hidden(String name) {
    return name.startsWith("_") || (name.startsWith(".") && name.endsWith(".crc"));
  }

  /**
   * Refuses a {@code target} (qualified) that is, holds or lies inside one of {@code inputs}
   * (qualified paths, each with its description, e.g. {@code the input (--input data)}); with
   * {@code workingPlaces}, also the current directory or one above it, the home directory or one
   * above it, and a file system root.
   *
   * @return why, in words (e.g. {@code holds the current directory}), or null
   */
  public static String checkPlace(Path target, Map<Path, String> inputs, boolean workingPlaces,
      Path cwd, Path home) {
    if (workingPlaces) {
      String path = target.toUri().normalize().getPath();
      if (path == null || path.isEmpty() || path.equals("/")) {
        return "is a file system root";
      }
      Path[] places = {cwd, home};
      String[] names = {"the current directory", "the home directory"};
      for (int i = 0; i < places.length; i++) {
        if (places[i] != null && same(target, places[i])) {
          return "is " + names[i];
        }
        if (places[i] != null && above(target, places[i])) {
          return "holds " + names[i];
        }
      }
    }
    for (Map.Entry<Path, String> in : inputs.entrySet()) {
      Path p = in.getKey();
      if (same(target, p)) {
        return "is " + in.getValue();
      }
      if (above(target, p)) {
        return "holds " + in.getValue();
      }
      if (above(p, target)) {
        return "is inside " + in.getValue();
      }
    }
    return null;
  }

  /**
   * Each path of {@code described} (path to its description; a glob expanded to every match,
   * one not found taken as it is) qualified on its file system, with its description.
   */
  public static Map<Path, String> inputs(org.apache.hadoop.conf.Configuration conf,
      Map<String, String> described) {
    Map<Path, String> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> e : described.entrySet()) {
      Path p = new Path(e.getKey());
      try {
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(p);
        if (matches == null || matches.length == 0) {
          out.put(fs.makeQualified(p), e.getValue());
        } else {
          for (FileStatus m : matches) {
            out.put(fs.makeQualified(m.getPath()), e.getValue());
          }
        }
      } catch (IOException | IllegalArgumentException ex) {
        // an input that cannot be resolved cannot be overwritten either; reading it says why
      }
    }
    return out;
  }

  private static boolean same(Path a, Path b) {
    return key(a).equals(key(b));
  }

  /** Whether {@code a} is a proper ancestor of {@code b}. */
  private static boolean above(Path a, Path b) {
    String ka = key(a);
    String kb = key(b);
    return kb.startsWith(ka.endsWith("/") ? ka : ka + "/") && !ka.equals(kb);
  }

  private static String key(Path p) {
    java.net.URI u = p.toUri().normalize();
    String path = u.getPath() == null ? "" : u.getPath();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return (u.getScheme() == null ? "" : u.getScheme()) + "://"
        + (u.getAuthority() == null ? "" : u.getAuthority()) + path;
  }
}
