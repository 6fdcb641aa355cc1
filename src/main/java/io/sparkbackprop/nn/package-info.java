/**
 * The mathematics of a feed-forward network, with no Spark: layer widths and activations
 * ({@link io.sparkbackprop.nn.Network}, one flat weight array {@code W[l][from][to]}), the
 * squared-error loss {@code L = (y - yhat)^2} per row and output, backprop per row (the
 * reference, {@link io.sparkbackprop.nn.RowBackprop}) and on blocks of rows (the kernels the
 * engine runs: blocked BLAS, narrow, float), the textbook's chain rule written out factor by
 * factor, and the gradient check against finite differences. Which BLAS the kernels call is
 * decided in {@code nn.blas}.
 *
 * <p>Convention, stated once: a kernel returns the SUM over its rows of the loss and ADDS the sum
 * of the rows' gradients {@code dL/dW} to the buffer it is given; nothing here averages. Imports
 * only {@code nn.blas} of this project.
 */
package io.sparkbackprop.nn;
