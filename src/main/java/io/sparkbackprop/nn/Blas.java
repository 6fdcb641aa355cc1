package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/** The BLAS in use, through the netlib interface that Spark and Breeze already bring. */
public final class Blas {
  private static final BLAS INSTANCE = BLAS.getInstance();

  private Blas() {}

  public static BLAS get() {
    return INSTANCE;
  }

  /** Simple class name of the implementation: JNIBLAS (native), VectorBLAS or Java11BLAS/Java8BLAS. */
  public static String name() {
    return INSTANCE.getClass().getSimpleName();
  }
}
