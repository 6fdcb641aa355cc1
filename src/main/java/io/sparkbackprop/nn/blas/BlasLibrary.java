package io.sparkbackprop.nn.blas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * A shared library file and what kind of BLAS it is, told by what it contains, not by its name.
 *
 * <p>The kind comes from the file's ELF dynamic section: the names in its dynamic symbol table
 * (the functions it defines and the ones it imports) and the libraries it needs ({@code
 * DT_NEEDED}). A file is a BLAS when it defines {@code dgemm_} (netlib's JNI layer looks up the
 * Fortran names); it is
 * <ul>
 *   <li>{@link Kind#OPENBLAS} when it names {@code openblas_get_config} or {@code gotoblas}, or
 *       needs a {@code libopenblas*} (Debian's {@code openblas-pthread/libblas.so.3} is such a
 *       front end: it defines {@code dgemm_}, imports {@code gotoblas} and needs
 *       {@code libopenblas.so.0});
 *   <li>{@link Kind#MKL} when it names an {@code mkl_}/{@code MKL_} function or needs a
 *       {@code libmkl_*};
 *   <li>{@link Kind#BLIS} when it names a {@code bli_} function (e.g.
 *       {@code bli_info_get_version_str}) or needs a {@code libblis*};
 *   <li>{@link Kind#REFERENCE} otherwise: Netlib's reference BLAS, or one this rule does not
 *       know, which it treats alike.
 * </ul>
 * Why the dynamic symbol table and not a scan of the file's bytes for those names: it holds exactly
 * the names the dynamic linker sees, so a string in a library's data (an error message, a
 * comment) cannot fool it, imports and needed libraries identify thin front ends, and reading it
 * takes a few hundred kilobytes of a 36 MB OpenBLAS rather than the whole file, in every JVM that
 * starts.
 *
 * @param path the file as found (a symlink such as {@code /usr/lib/x86_64-linux-gnu/libblas.so.3})
 * @param file the file it resolves to (what the dynamic linker maps)
 * @param kind what it is
 */
record BlasLibrary(Path path, Path file, Kind kind) {

  /** What kind of BLAS a library is; only the first three are worth loading. */
  public enum Kind {
    OPENBLAS("OpenBLAS", true),
    MKL("MKL", true),
    BLIS("BLIS", true),
    REFERENCE("the reference BLAS", false),
    NOT_BLAS("not a BLAS", false);

    private final String label;
    private final boolean optimized;

    Kind(String label, boolean optimized) {
      this.label = label;
      this.optimized = optimized;
    }

    /** {@code OpenBLAS}, {@code MKL}, {@code BLIS}, {@code the reference BLAS}, {@code not a BLAS}. */
    public String label() {
      return label;
    }

    /** Whether the rule of {@link BlasRule} would load it. */
    public boolean optimized() {
      return optimized;
    }
  }

  /**
   * Identifies {@code path} (following symlinks); {@link Kind#NOT_BLAS} when it is no ELF shared
   * library, cannot be read, or defines no {@code dgemm_}.
   */
  public static BlasLibrary identify(Path path) {
    Path file;
    try {
      file = path.toRealPath();
    } catch (IOException e) {
      return new BlasLibrary(path, path, Kind.NOT_BLAS);
    }
    Kind kind;
    try {
      kind = kindOf(DynamicNames.read(file));
    } catch (IOException | RuntimeException e) {
      kind = Kind.NOT_BLAS;  // not ELF, truncated or unreadable: nothing to load
    }
    return new BlasLibrary(path, file, kind);
  }

  /** The kind told by a library's dynamic names (see the class comment for the rule). */
  static Kind kindOf(DynamicNames names) {
    if (!names.defined().contains("dgemm_")) {
      return Kind.NOT_BLAS;
    }
    Set<String> symbols = names.symbols();
    if (symbols.contains("openblas_get_config") || symbols.contains("gotoblas")
        || names.needs("libopenblas")) {
      return Kind.OPENBLAS;
    }
    if (anyStartsWith(symbols, "mkl_") || anyStartsWith(symbols, "MKL_") || names.needs("libmkl_")) {
      return Kind.MKL;
    }
    if (anyStartsWith(symbols, "bli_") || names.needs("libblis")) {
      return Kind.BLIS;
    }
    return Kind.REFERENCE;
  }

  private static boolean anyStartsWith(Set<String> names, String prefix) {
    for (String n : names) {
      if (n.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The dynamic names of an ELF file that tell a BLAS: the symbols of {@code .dynsym} the rule
   * looks at ({@code symbols}, defined or imported), those of them the file defines ({@code
   * defined}: section index not {@code SHN_UNDEF}), and its {@code DT_NEEDED} library names.
   */
  record DynamicNames(Set<String> symbols, Set<String> defined, Set<String> needed) {
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_DYNSYM = 11;
    private static final long DT_NEEDED = 1;
    /** A larger string or symbol table than this is no library worth reading. */
    private static final long MAX_TABLE = 64L << 20;

    boolean needs(String prefix) {
      return anyStartsWith(needed, prefix);
    }

    /** Reads the section headers, then {@code .dynsym}, {@code .dynamic} and their string table. */
    static DynamicNames read(Path file) throws IOException {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer id = readAt(ch, 0, 64);
        if (id.getInt(0) != 0x7f454c46) {  // "\177ELF", read big-endian
          throw new IOException("not an ELF file: " + file);
        }
        boolean is64 = id.get(4) == 2;
        id.order(id.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long shoff = is64 ? id.getLong(0x28) : Integer.toUnsignedLong(id.getInt(0x20));
        int shentsize = Short.toUnsignedInt(id.getShort(is64 ? 0x3A : 0x2E));
        int shnum = Short.toUnsignedInt(id.getShort(is64 ? 0x3C : 0x30));
        if (shoff <= 0 || shnum == 0 || shentsize < (is64 ? 0x40 : 0x28)) {
          throw new IOException("no section headers: " + file);
        }
        ByteBuffer sh = readAt(ch, shoff, (long) shnum * shentsize).order(id.order());
        Set<String> symbols = new HashSet<>();
        Set<String> defined = new HashSet<>();
        Set<String> needed = new HashSet<>();
        for (int i = 0; i < shnum; i++) {
          int base = i * shentsize;
          int type = sh.getInt(base + 4);
          if (type != SHT_DYNSYM && type != SHT_DYNAMIC) {
            continue;
          }
          long offset = is64 ? sh.getLong(base + 0x18) : Integer.toUnsignedLong(sh.getInt(base + 0x10));
          long size = is64 ? sh.getLong(base + 0x20) : Integer.toUnsignedLong(sh.getInt(base + 0x14));
          int link = sh.getInt(base + (is64 ? 0x28 : 0x18));
          if (link <= 0 || link >= shnum) {
            continue;
          }
          int strBase = link * shentsize;
          long strOffset = is64 ? sh.getLong(strBase + 0x18) : Integer.toUnsignedLong(sh.getInt(strBase + 0x10));
          long strSize = is64 ? sh.getLong(strBase + 0x20) : Integer.toUnsignedLong(sh.getInt(strBase + 0x14));
          ByteBuffer table = readAt(ch, offset, size).order(id.order());
          ByteBuffer strings = readAt(ch, strOffset, strSize);
          if (type == SHT_DYNSYM) {
            int entry = is64 ? 24 : 16;
            for (int at = entry; at + entry <= table.limit(); at += entry) {  // entry 0 is null
              long nameAt = Integer.toUnsignedLong(table.getInt(at));
              if (!interesting(strings, nameAt)) {
                continue;  // most of a BLAS's thousands of names: no String made for them
              }
              String name = string(strings, nameAt);
              int shndx = Short.toUnsignedInt(table.getShort(at + (is64 ? 6 : 14)));
              symbols.add(name);
              if (shndx != 0) {
                defined.add(name);
              }
            }
          } else {
            int entry = is64 ? 16 : 8;
            for (int at = 0; at + entry <= table.limit(); at += entry) {
              long tag = is64 ? table.getLong(at) : table.getInt(at);
              long val = is64 ? table.getLong(at + 8) : Integer.toUnsignedLong(table.getInt(at + 4));
              if (tag == 0) {
                break;  // DT_NULL ends the table
              }
              if (tag == DT_NEEDED) {
                needed.add(string(strings, val));
              }
            }
          }
        }
        return new DynamicNames(symbols, defined, needed);
      }
    }

    private static final byte[][] EXACT = words("dgemm_", "openblas_get_config", "gotoblas");
    private static final byte[][] PREFIXES = words("mkl_", "MKL_", "bli_");

    private static byte[][] words(String... w) {
      byte[][] out = new byte[w.length][];
      for (int i = 0; i < w.length; i++) {
        out[i] = w[i].getBytes(StandardCharsets.ISO_8859_1);
      }
      return out;
    }

    /**
     * Whether the name at {@code offset} is one {@link BlasLibrary#kindOf} looks at: exactly
     * {@code dgemm_}, {@code openblas_get_config} or {@code gotoblas}, or one starting with
     * {@code mkl_}, {@code MKL_} or {@code bli_}. {@link #symbols()} and {@link #defined()} hold
     * only those.
     */
    private static boolean interesting(ByteBuffer strings, long offset) {
      if (offset <= 0 || offset >= strings.limit()) {
        return false;
      }
      int at = (int) offset;
      for (byte[] w : EXACT) {
        if (startsWith(strings, at, w) && at + w.length < strings.limit()
            && strings.get(at + w.length) == 0) {
          return true;
        }
      }
      for (byte[] w : PREFIXES) {
        if (startsWith(strings, at, w)) {
          return true;
        }
      }
      return false;
    }

    private static boolean startsWith(ByteBuffer strings, int at, byte[] w) {
      if (at + w.length > strings.limit()) {
        return false;
      }
      for (int i = 0; i < w.length; i++) {
        if (strings.get(at + i) != w[i]) {
          return false;
        }
      }
      return true;
    }

    private static ByteBuffer readAt(FileChannel ch, long offset, long size) throws IOException {
      if (offset < 0 || size < 0 || size > MAX_TABLE || offset + size > ch.size()) {
        throw new IOException("table out of the file's bounds");
      }
      ByteBuffer b = ByteBuffer.allocate((int) size);
      while (b.hasRemaining()) {
        if (ch.read(b, offset + b.position()) < 0) {
          throw new IOException("truncated");
        }
      }
      return b.flip();
    }

    /** The NUL-terminated string at {@code offset} of a string table; empty when out of bounds. */
    private static String string(ByteBuffer strings, long offset) {
      if (offset < 0 || offset >= strings.limit()) {
        return "";
      }
      int start = (int) offset;
      int end = start;
      while (end < strings.limit() && strings.get(end) != 0) {
        end++;
      }
      byte[] bytes = new byte[end - start];
      strings.get(start, bytes);
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }
}
