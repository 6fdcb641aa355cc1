package io.sparkbackprop.nn.blas;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Main of the JVMs {@link BlasProcessTest} starts: prints {@code Blas.name()}, {@code
 * Blas.description()} and the class of netlib's own {@code BLAS.getInstance()}, one a line. With
 * the argument {@code netlib-first} it initialises netlib before {@link Blas}, as Spark may.
 */
final class BlasProbe {
  private BlasProbe() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("netlib-first")) {
      BLAS.getInstance();
    }
    double[] c = {0};
    Blas.get().dgemm("N", "N", 1, 1, 1, 1.0, new double[] {3}, 1, new double[] {4}, 1, 0.0, c, 1);
    if (c[0] != 12) {
      throw new AssertionError("dgemm 3 x 4 gave " + c[0]);
    }
    System.out.println(Blas.name());
    System.out.println(Blas.description());
    System.out.println(BLAS.getInstance().getClass().getSimpleName());
  }
}
