package io.sparkbackprop.nn.blas;

/**
 * What {@link BlasRule} chose: how to get the BLAS, which library file (if any) and why.
 *
 * @param use how {@link Blas} gets its instance
 * @param library the native library to load ({@link Use#NATIVE}), the library netlib loads by
 *     default ({@link Use#NETLIB_DEFAULT}, null when none was found), or the library refused or
 *     that failed to load ({@link Use#JAVA}, may be null)
 * @param reason why, in words for a log line: {@code "libblas.so.3 is the reference BLAS"}
 */
record BlasChoice(Use use, BlasLibrary library, String reason) {

  /** How the BLAS instance is obtained. */
  public enum Use {
    /** netlib's JNIBLAS, pointed at {@link #library()} ({@code dev.ludovic.netlib.blas.nativeLibPath}). */
    NATIVE,
    /** netlib's own choice, left alone ({@code sparkbackprop.blas=native}, or not Linux). */
    NETLIB_DEFAULT,
    /** netlib's pure-Java BLAS: VectorBLAS when the JVM has jdk.incubator.vector, else Java11BLAS. */
    JAVA
  }

  public BlasChoice {
    if (use == null || reason == null || (use == Use.NATIVE && library == null)) {
      throw new IllegalArgumentException("incomplete BLAS choice: " + use + ", " + library + ", " + reason);
    }
  }

  /**
   * The line to log and store in the provenance, given the class name of the instance that
   * resulted: {@code JNIBLAS (OpenBLAS, /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3;
   * libblas.so.3 is OpenBLAS)}, {@code VectorBLAS (libblas.so.3 is the reference BLAS; no OpenBLAS,
   * MKL or BLIS found)}.
   */
  public String describe(String implementation) {
    if (use == Use.NATIVE || (use == Use.NETLIB_DEFAULT && library != null)) {
      return implementation + " (" + library.kind().label() + ", " + library.file() + "; " + reason + ")";
    }
    return implementation + " (" + reason + ")";
  }
}
