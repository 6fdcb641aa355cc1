package io.sparkbackprop.spark;

import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Scaling;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Groups rows {features..., labels...[, weight]} into blocks of up to {@code size} rows, lazily:
 * one block in memory at a time. Rows are gathered row-major in a buffer that grows as needed (a
 * small partition never allocates a whole {@code size}), then transposed (feature j of row i of
 * a block of n rows to {@code x[j * n + i]}, label c to {@code y[c * n + i]}), standardized with
 * {@link Scaling}, and in float precision rounded to float once standardized.
 */
final class BlockIterator implements Iterator<Block> {
  private final Iterator<double[]> rows;
  private final int d;
  private final int k;
  private final int size;
  private final Scaling scaling;
  private final Precision precision;
  /** Rows carry their weight after the label. */
  private final boolean weighted;

  BlockIterator(Iterator<double[]> rows, int d, int size, Scaling scaling, Precision precision) {
    this(rows, d, 1, size, scaling, precision, false);
  }

  /** Rows of d features and k labels, then the weight when {@code weighted}. */
  BlockIterator(Iterator<double[]> rows, int d, int k, int size, Scaling scaling,
      Precision precision, boolean weighted) {
    this.rows = rows;
    this.d = d;
    this.k = k;
    this.size = size;
    this.scaling = scaling.isIdentity() ? null : scaling;
    this.precision = precision;
    this.weighted = weighted;
  }

  @Override public boolean hasNext() {
    return rows.hasNext();
  }

  @Override public Block next() {
    if (!rows.hasNext()) {
      throw new NoSuchElementException();
    }
    int w = d + k + (weighted ? 1 : 0);
    double[] buf = new double[Math.min(size, 1024) * w];
    int n = 0;
    while (n < size && rows.hasNext()) {
      if ((n + 1) * w > buf.length) {
        buf = Arrays.copyOf(buf, Math.min(size, 2 * n) * w);
      }
      System.arraycopy(rows.next(), 0, buf, n * w, w);
      n++;
    }
    double[] x = new double[n * d];
    double[] y = new double[n * k];
    double[] rw = weighted ? new double[n] : null;
    for (int i = 0; i < n; i++) {
      int r = i * w;
      for (int j = 0; j < d; j++) {
        x[j * n + i] = buf[r + j];
      }
      for (int c = 0; c < k; c++) {
        y[c * n + i] = buf[r + d + c];
      }
      if (weighted) {
        rw[i] = buf[r + d + k];
      }
    }
    if (scaling != null) {
      scaling.scaleFeatures(x, n);
      scaling.scaleLabels(y, n);
    }
    Block.Doubles b = new Block.Doubles(n, x, y, rw);
    return precision == Precision.FLOAT ? Block.Floats.of(b) : b;
  }
}
