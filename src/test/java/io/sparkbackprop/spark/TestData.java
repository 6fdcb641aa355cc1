package io.sparkbackprop.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

/** Tables made into BlockData the way a Spark program would: VectorAssembler, then load. */
public final class TestData {
  private TestData() {}

  /**
   * {@code df}'s columns {@code features} (null: every numeric column but the label) assembled
   * into a Vector column "features" (VectorAssembler, null values as NaN).
   */
  public static Dataset<Row> assembled(Dataset<Row> df, String label, List<String> features) {
    List<String> cols = new ArrayList<>();
    if (features == null) {
      for (StructField f : df.schema().fields()) {
        if (!f.name().equals(label) && f.dataType() instanceof NumericType) {
          cols.add(f.name());
        }
      }
    } else {
      cols.addAll(features);
    }
    return new VectorAssembler().setInputCols(cols.toArray(new String[0]))
        .setOutputCol("features").setHandleInvalid("keep").transform(df);
  }

  /** Raw (unstandardized) blocks of {@code df}, assembled as above. */
  public static BlockData.Loaded load(Dataset<Row> df, String label, List<String> features,
      int partitions, int blockSize, boolean skipInvalid, ContentSplit split) {
    Dataset<Row> v = assembled(df, label, features);
    int d = features != null ? features.size()
        : (int) Arrays.stream(df.schema().fields()).filter(f -> !f.name().equals(label)
            && f.dataType() instanceof NumericType).count();
    return BlockData.load(v, BlockData.Spec.builder("features", label, d, blockSize)
        .split(split).partitions(partitions).storage(StorageLevel.MEMORY_AND_DISK())
        .skipInvalid(skipInvalid).build());
  }

  /** The rows of every block, partition by partition: [partition][row][features..., label]. */
  public static List<List<double[]>> rowsByPartition(JavaRDD<Block> blocks) {
    List<List<Block>> parts = blocks.glom().collect();
    List<List<double[]>> out = new ArrayList<>();
    for (List<Block> p : parts) {
      List<double[]> rows = new ArrayList<>();
      for (Block b : p) {
        int d = b.features();
        for (int i = 0; i < b.n(); i++) {
          double[] v = new double[d + 1];
          for (int j = 0; j < d; j++) {
            v[j] = ((Block.Doubles) b).x()[j * b.n() + i];
          }
          v[d] = ((Block.Doubles) b).y()[i];
          rows.add(v);
        }
      }
      out.add(rows);
    }
    return out;
  }

  /** Every row of the blocks as "f1,f2,...,label" (exact doubles), sorted. */
  public static List<String> rowStrings(JavaRDD<Block> blocks) {
    List<String> out = new ArrayList<>();
    for (List<double[]> p : rowsByPartition(blocks)) {
      for (double[] v : p) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < v.length; j++) {
          sb.append(j == 0 ? "" : ",").append(v[j]);
        }
        out.add(sb.toString());
      }
    }
    out.sort(null);
    return out;
  }
}
