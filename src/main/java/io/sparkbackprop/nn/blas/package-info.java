/**
 * Which BLAS the kernels call, by what the libraries on the machine are rather than by what loads
 * first ({@link io.sparkbackprop.nn.blas.BlasRule}: OpenBLAS, MKL or BLIS when present, never the
 * reference BLAS, else netlib's VectorBLAS), decided once per JVM and the same in every JVM of a
 * run ({@link io.sparkbackprop.nn.blas.Blas}); the ELF reader that tells the libraries apart.
 * Imports nothing else of this project.
 */
package io.sparkbackprop.nn.blas;
