package io.sparkbackprop.nn.blas;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which BLAS to use, by what the libraries on the machine are rather than by what loads first.
 *
 * <p>netlib's JNIBLAS loads whatever {@code libblas.so.3} is, and on Debian that is the
 * reference BLAS as soon as anything pulls in {@code libblas3} (numpy, R, Octave), several times
 * slower than OpenBLAS and than netlib's VectorBLAS (docs/benchmarks.md, "Kernel"). The rule,
 * {@link #choose}, a pure function of what {@link #observe} found:
 * <ol>
 *   <li>{@code libblas.so.3} (what netlib loads by default) is OpenBLAS, MKL or BLIS: load it;
 *   <li>else an OpenBLAS, MKL or BLIS library found in the library directories
 *       ({@code libopenblas.so.0}, {@code libmkl_rt.so}, {@code libblis.so.4}, also in Debian's
 *       {@code openblas-pthread/}-style subdirectories): load that one, preferring OpenBLAS (whose
 *       threads {@code OPENBLAS_NUM_THREADS=1} keeps off Spark's cores), then MKL, then BLIS, then
 *       the search order;
 *   <li>else netlib's pure-Java BLAS (VectorBLAS with {@code jdk.incubator.vector}, else
 *       Java11BLAS); never the reference BLAS.
 * </ol>
 * What a library is comes from its ELF dynamic symbols ({@link BlasLibrary#identify}).
 *
 * <p>System properties:
 * <ul>
 *   <li>{@value #OVERRIDE}: {@code auto} (default: the rule), {@code java} (the pure-Java BLAS),
 *       {@code native} (netlib's own choice, unchecked, even the reference BLAS), or the path of a
 *       BLAS library to load whatever it is (e.g. the reference, to measure it);
 *   <li>{@value #LIB_DIRS}: the directories to search, separated by {@code File.pathSeparator}, in
 *       place of the standard ones ({@code LD_LIBRARY_PATH}, the directories of
 *       {@code /etc/ld.so.conf}, {@code /usr/lib/<multiarch>}, {@code /usr/lib64}, {@code
 *       /usr/lib}, ..., {@code /opt/intel/oneapi/mkl/latest/lib}); for tests.
 * </ul>
 * netlib's own {@code dev.ludovic.netlib.blas.nativeLibPath} or {@code nativeLib}, when given,
 * name the library netlib would load by default (step 1 looks at it in place of
 * {@code libblas.so.3}), and {@code dev.ludovic.netlib.blas.allowNative=false} means the
 * pure-Java BLAS.
 */
final class BlasRule {
  /** System property: {@code auto}, {@code java}, {@code native} or a library path. */
  public static final String OVERRIDE = "sparkbackprop.blas";
  /** System property: the library directories to search in place of the standard ones. */
  public static final String LIB_DIRS = "sparkbackprop.blas.libDirs";
  static final String NETLIB_NATIVE_LIB = "dev.ludovic.netlib.blas.nativeLib";
  static final String NETLIB_NATIVE_LIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
  static final String NETLIB_ALLOW_NATIVE = "dev.ludovic.netlib.blas.allowNative";
  /** What netlib's JNI layer passes to dlopen when no property says otherwise (Linux). */
  static final String DEFAULT_NAME = "libblas.so.3";

  /** File names of BLAS libraries looked for in each directory and subdirectory. */
  static final List<String> NAMES = List.of("libopenblas.so.0", "libopenblas.so", "libmkl_rt.so.2",
      "libmkl_rt.so", "libblis.so.4", "libblis-mt.so.4", "libblis.so.3", "libblis.so", DEFAULT_NAME);
  /** Subdirectories where Debian's alternatives keep optimized BLAS libraries, and MKL's. */
  static final List<String> SUBDIRS = List.of("openblas-pthread", "openblas-openmp",
      "openblas-serial", "blis-pthread", "blis-openmp", "blis-serial", "intel64");

  private BlasRule() {}

  /**
   * Everything the rule looks at.
   *
   * @param override the value of {@value #OVERRIDE}, null when unset
   * @param overrideLibrary the library {@code override} names when it is a path, else null
   * @param linux whether the OS is Linux (elsewhere netlib's default is left alone: Accelerate on
   *     macOS, OpenBLAS on Windows)
   * @param nativeAllowed false when {@code dev.ludovic.netlib.blas.allowNative=false} was given
   * @param defaultName what netlib loads by default: {@code libblas.so.3}, or its property's value
   * @param netlibDefault the file {@code defaultName} resolves to, null when none
   * @param libraries the BLAS libraries found, in search order, each file once
   */
  public record Inputs(String override, BlasLibrary overrideLibrary, boolean linux,
      boolean nativeAllowed, String defaultName, BlasLibrary netlibDefault,
      List<BlasLibrary> libraries) {
    public Inputs {
      libraries = List.copyOf(libraries);
    }
  }

  /** The rule (see the class comment). Pure: reads nothing but {@code in}. */
  public static BlasChoice choose(Inputs in) {
    String o = in.override() == null ? "auto" : in.override().trim();
    switch (o.toLowerCase(Locale.ROOT)) {
      case "java":
        return new BlasChoice(BlasChoice.Use.JAVA, null, OVERRIDE + "=java");
      case "native":
        return new BlasChoice(BlasChoice.Use.NETLIB_DEFAULT, in.netlibDefault(), OVERRIDE + "=native");
      case "auto":
      case "":
        break;
      default:
        BlasLibrary lib = in.overrideLibrary();
        if (lib == null || lib.kind() == BlasLibrary.Kind.NOT_BLAS) {
          return new BlasChoice(BlasChoice.Use.JAVA, lib,
              OVERRIDE + "=" + o + " is no BLAS library (want auto, java, native or a path)");
        }
        return new BlasChoice(BlasChoice.Use.NATIVE, lib, OVERRIDE + "=" + o);
    }
    if (!in.linux()) {
      return new BlasChoice(BlasChoice.Use.NETLIB_DEFAULT, null, "not Linux: netlib's own choice");
    }
    if (!in.nativeAllowed()) {
      return new BlasChoice(BlasChoice.Use.JAVA, null, NETLIB_ALLOW_NATIVE + "=false");
    }
    BlasLibrary def = in.netlibDefault();
    if (def != null && def.kind().optimized()) {
      return new BlasChoice(BlasChoice.Use.NATIVE, def, in.defaultName() + " is " + def.kind().label());
    }
    String why = def == null ? "no " + in.defaultName()
        : in.defaultName() + " is " + def.kind().label();
    BlasLibrary best = null;
    for (BlasLibrary lib : in.libraries()) {
      if (lib.kind().optimized() && (best == null || lib.kind().ordinal() < best.kind().ordinal())) {
        best = lib;
      }
    }
    if (best != null) {
      return new BlasChoice(BlasChoice.Use.NATIVE, best, why);
    }
    return new BlasChoice(BlasChoice.Use.JAVA, def, why + "; no OpenBLAS, MKL or BLIS found");
  }

  /** What this JVM's machine and system properties offer the rule. */
  public static Inputs observe() {
    String dirs = System.getProperty(LIB_DIRS);
    List<Path> search = dirs != null ? split(dirs)
        : standardDirs(System.getenv("LD_LIBRARY_PATH"), System.getProperty("os.arch", ""));
    boolean linux = System.getProperty("os.name", "").startsWith("Linux");
    boolean allowed = !"false".equalsIgnoreCase(System.getProperty(NETLIB_ALLOW_NATIVE, "true").trim());
    String path = System.getProperty(NETLIB_NATIVE_LIB_PATH);
    String name = path != null ? path : System.getProperty(NETLIB_NATIVE_LIB, DEFAULT_NAME);
    return observe(search, System.getProperty(OVERRIDE), linux, allowed, name);
  }

  /**
   * What the directories {@code dirs} offer: the first of them holding {@code defaultName} (or that
   * file itself when it is a path) and every BLAS library in them and their {@link #SUBDIRS}.
   */
  public static Inputs observe(List<Path> dirs, String override, boolean linux,
      boolean nativeAllowed, String defaultName) {
    BlasLibrary overrideLibrary = null;
    String o = override == null ? "" : override.trim();
    if (!o.isEmpty() && !List.of("auto", "java", "native").contains(o.toLowerCase(Locale.ROOT))) {
      overrideLibrary = BlasLibrary.identify(Path.of(o));
    }
    Map<Path, BlasLibrary> known = new HashMap<>();  // each file read once, whatever its names
    BlasLibrary netlibDefault = null;
    if (defaultName.contains("/")) {
      Path p = Path.of(defaultName);
      netlibDefault = Files.isRegularFile(p) ? identify(p, known) : null;
    } else {
      for (Path d : dirs) {
        Path p = d.resolve(defaultName);
        if (Files.isRegularFile(p)) {
          netlibDefault = identify(p, known);
          break;
        }
      }
    }
    List<BlasLibrary> found = new ArrayList<>();
    Set<Path> seen = new LinkedHashSet<>();
    for (Path d : dirs) {
      List<Path> places = new ArrayList<>(List.of(d));
      for (String s : SUBDIRS) {
        places.add(d.resolve(s));
      }
      for (Path place : places) {
        for (String n : NAMES) {
          Path p = place.resolve(n);
          if (Files.isRegularFile(p)) {
            BlasLibrary lib = identify(p, known);
            if (seen.add(lib.file()) && lib.kind() != BlasLibrary.Kind.NOT_BLAS) {
              found.add(lib);
            }
          }
        }
      }
    }
    String shownName = defaultName.contains("/") ? Path.of(defaultName).getFileName().toString()
        : defaultName;
    return new Inputs(override, overrideLibrary, linux, nativeAllowed, shownName, netlibDefault, found);
  }

  /** {@link BlasLibrary#identify}, reading each file once ({@code known}: by resolved file). */
  private static BlasLibrary identify(Path p, Map<Path, BlasLibrary> known) {
    try {
      BlasLibrary seen = known.get(p.toRealPath());
      if (seen != null) {
        return new BlasLibrary(p, seen.file(), seen.kind());
      }
    } catch (IOException e) {
      // identify says NOT_BLAS
    }
    BlasLibrary lib = BlasLibrary.identify(p);
    known.put(lib.file(), lib);
    return lib;
  }

  /**
   * Where the dynamic linker looks, in its order: {@code LD_LIBRARY_PATH}, the directories of
   * {@code /etc/ld.so.conf} (what {@code ldconfig} caches), then the usual system directories, and
   * MKL's install directories.
   */
  static List<Path> standardDirs(String ldLibraryPath, String osArch) {
    Set<Path> dirs = new LinkedHashSet<>();
    if (ldLibraryPath != null) {
      dirs.addAll(split(ldLibraryPath));
    }
    ldSoConf(Path.of("/etc/ld.so.conf"), dirs, 0);
    String triplet = switch (osArch) {
      case "amd64", "x86_64" -> "x86_64-linux-gnu";
      case "aarch64", "arm64" -> "aarch64-linux-gnu";
      case "ppc64le" -> "powerpc64le-linux-gnu";
      case "s390x" -> "s390x-linux-gnu";
      case "riscv64" -> "riscv64-linux-gnu";
      default -> null;
    };
    for (String base : List.of("/lib", "/usr/lib", "/usr/local/lib")) {
      if (triplet != null) {
        dirs.add(Path.of(base, triplet));
      }
    }
    for (String d : List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
        "/opt/intel/oneapi/mkl/latest/lib", "/opt/intel/mkl/lib")) {
      dirs.add(Path.of(d));
    }
    return List.copyOf(dirs);
  }

  /** Adds the directories an ld.so.conf lists, following its {@code include} lines. */
  private static void ldSoConf(Path conf, Set<Path> dirs, int depth) {
    List<String> lines;
    try {
      lines = Files.readAllLines(conf);
    } catch (IOException | RuntimeException e) {
      return;  // no such file, or unreadable: the usual directories still follow
    }
    for (String raw : lines) {
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("include ") && depth < 3) {
        // "include /etc/ld.so.conf.d/*.conf": a directory and a "*suffix" or an exact name
        Path p = conf.getParent().resolve(line.substring("include ".length()).trim());
        String name = p.getFileName().toString();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p.getParent())) {
          List<Path> confs = new ArrayList<>();
          for (Path c : ds) {
            String n = c.getFileName().toString();
            if (name.startsWith("*") ? n.endsWith(name.substring(1)) : n.equals(name)) {
              confs.add(c);
            }
          }
          confs.sort(null);
          for (Path c : confs) {
            ldSoConf(c, dirs, depth + 1);
          }
        } catch (IOException | RuntimeException e) {
          // an include that matches nothing
        }
      } else if (line.startsWith("/")) {
        dirs.add(Path.of(line));
      }
    }
  }

  private static List<Path> split(String pathList) {
    List<Path> out = new ArrayList<>();
    for (String s : pathList.split(File.pathSeparator)) {
      if (!s.isBlank()) {
        out.add(Path.of(s.trim()));
      }
    }
    return out;
  }
}
