package io.sparkbackprop.spark;

import io.sparkbackprop.errors.DataException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.ml.MultilayerPerceptronRegressor;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Scaling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DataFrames into cached blocks: layout, partitioning, invalid values, standardization. */
class BlockDataTest {
  static SparkSession spark;
  /** 23 rows: f0 = 10 i, f1 = 10 i + 1, f2 = 10 i + 2, label = -i, one partition. */
  static Dataset<Row> table;

  @BeforeAll
  static void setUp() {
    spark = SparkTestSession.get();
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      rows.add(new Object[] {10.0 * i, 10.0 * i + 1, 10.0 * i + 2, -1.0 * i});
    }
    table = frame(1, schema("f0", "f1", "f2", "label"), rows);
  }

  static StructType schema(String... names) {
    List<StructField> f = new ArrayList<>();
    for (String n : names) {
      f.add(DataTypes.createStructField(n, DataTypes.DoubleType, true));
    }
    return DataTypes.createStructType(f);
  }

  static Dataset<Row> frame(int partitions, StructType schema, List<Object[]> rows) {
    List<Row> r = rows.stream().map(RowFactory::create).toList();
    Dataset<Row> df = spark.createDataFrame(r, schema).coalesce(1);
    return partitions > 1 ? df.repartition(partitions) : df;
  }

  @Test
  void blocksAreColumnMajorInInputOrderWithAShortLastBlock() {
    BlockData.Loaded t = TestData.load(table, "label", List.of("f2", "f0"), 0, 5, false, null);
    assertEquals(List.of("f2", "f0"), t.featureNames(), "names from VectorAssembler's attributes");
    assertEquals(23, t.trainingRows());
    assertEquals(0, t.invalidRows());
    assertEquals(1, t.training().getNumPartitions(), "partitions kept from the input");
    List<Block> blocks = t.training().collect();
    assertEquals(List.of(5, 5, 5, 5, 3), blocks.stream().map(Block::n).toList());
    int first = 0;
    for (Block b : blocks) {
      assertEquals(2, b.features());
      for (int i = 0; i < b.n(); i++) {
        int row = first + i;
        assertEquals(10.0 * row + 2, ((Block.Doubles) b).x()[i], "f2 of row " + row);
        assertEquals(10.0 * row, ((Block.Doubles) b).x()[b.n() + i], "f0 of row " + row);
        assertEquals(-1.0 * row, ((Block.Doubles) b).y()[i], "label of row " + row);
      }
      first += b.n();
    }
    assertTrue(BlockData.cachedBytes(t.training()) > 0, "blocks are cached");
    t.close();
    assertEquals(0, BlockData.cachedBytes(t.training()), "close() unpersists");
  }

  @Test
  void blockIteratorGrowsItsBufferTransposesAndScales() {
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(new double[] {i, -i, 0.5 * i});
    }
    BlockIterator it = new BlockIterator(rows.iterator(), 2, 2500,
        Scaling.identity(2), Precision.DOUBLE);
    Block a = it.next();
    Block b = it.next();
    assertTrue(!it.hasNext(), "two blocks");
    assertEquals(2500, a.n());
    assertEquals(500, b.n());
    for (int i = 0; i < 3000; i++) {
      Block k = i < 2500 ? a : b;
      int r = i < 2500 ? i : i - 2500;
      assertEquals(i, ((Block.Doubles) k).x()[r], "x0 of row " + i);
      assertEquals(-i, ((Block.Doubles) k).x()[k.n() + r], "x1 of row " + i);
      assertEquals(0.5 * i, ((Block.Doubles) k).y()[r], "y of row " + i);
    }
    Scaling s = new Scaling(new double[] {1, 2}, new double[] {4, 8}, 3, 2);
    Block c = new BlockIterator(List.of(new double[] {5, 10, 7}).iterator(), 2, 4, s,
        Precision.DOUBLE)
        .next();
    assertArrayEquals(new double[] {1, 1}, ((Block.Doubles) c).x(), "(x - mean) / scale");
    assertArrayEquals(new double[] {2}, ((Block.Doubles) c).y(), "(y - labelMean) / labelScale");
  }

  @Test
  void partitionsAreRoundRobinByRowAndTheSameEveryTime() {
    BlockData.Loaded a = TestData.load(table, "label", null, 3, 4, false, null);
    BlockData.Loaded b = TestData.load(table, "label", null, 3, 4, false, null);
    assertEquals(List.of("f0", "f1", "f2"), a.featureNames());
    assertEquals(3, a.training().getNumPartitions());
    List<List<double[]>> pa = TestData.rowsByPartition(a.training());
    for (int p = 0; p < 3; p++) {
      List<double[]> rows = pa.get(p);
      assertEquals(p < 2 ? 8 : 7, rows.size(), "rows in partition " + p);
      for (int k = 0; k < rows.size(); k++) {
        int g = p + 3 * k;
        assertArrayEquals(new double[] {10.0 * g, 10.0 * g + 1, 10.0 * g + 2, -1.0 * g},
            rows.get(k), "partition " + p + " row " + k);
      }
    }
    List<List<Block>> ba = a.training().glom().collect();
    List<List<Block>> bb = b.training().glom().collect();
    assertEquals(List.of(2, 2, 2), ba.stream().map(List::size).toList(), "blocks of up to 4 rows");
    for (int p = 0; p < 3; p++) {
      for (int k = 0; k < ba.get(p).size(); k++) {
        assertArrayEquals(((Block.Doubles) ba.get(p).get(k)).x(), ((Block.Doubles) bb.get(p).get(k)).x(), "x, partition " + p);
        assertArrayEquals(((Block.Doubles) ba.get(p).get(k)).y(), ((Block.Doubles) bb.get(p).get(k)).y(), "y, partition " + p);
      }
    }
    a.close();
    b.close();
  }

  @Test
  void partitionCountByDefaultIsTheInputsUnlessItHasManyPerCore() {
    int most = Dealing.PARTITIONS_PER_CORE * 2;
    assertEquals(0, Dealing.partitions(0, 1, 2), "one input partition is kept");
    assertEquals(0, Dealing.partitions(0, most, 2), "4 per core are kept");
    assertEquals(most, Dealing.partitions(0, most + 1, 2), "more than 4 per core are dealt out");
    assertEquals(4 * 16, Dealing.partitions(0, 200, 16), "200 on 16 cores");
    assertEquals(200, Dealing.partitions(200, 3, 2), "an explicit count is honoured");
    assertEquals(3, Dealing.partitions(3, 200, 2), "an explicit count is honoured");
    assertEquals(4, Dealing.partitions(0, 5, 0), "no cores reported: taken as 1");
  }

  @Test
  void aTableOf200PartitionsIsCachedInAFewPerCoreAndExplicitCountsAreHonoured() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(new Object[] {(double) i, i * 0.25});
    }
    Dataset<Row> df = frame(200, schema("x", "label"), rows).cache();
    int cores = spark.sparkContext().defaultParallelism();
    assertEquals(200, df.javaRDD().getNumPartitions(), "the test table's partitions");
    BlockData.Loaded byDefault = TestData.load(df, "label", null, 0, 16, false, null);
    assertEquals(Dealing.PARTITIONS_PER_CORE * cores, byDefault.training().getNumPartitions(),
        "200 input partitions on " + cores + " cores, numPartitions 0");
    assertEquals(1000, byDefault.trainingRows(), "rows");
    List<List<double[]>> parts = TestData.rowsByPartition(byDefault.training());
    int p = parts.size();
    for (int q = 0; q < p; q++) {
      assertTrue(parts.get(q).size() == 1000 / p || parts.get(q).size() == 1000 / p + 1,
          "balanced: " + parts.get(q).size() + " rows in partition " + q);
    }
    byDefault.close();
    BlockData.Loaded explicit = TestData.load(df, "label", null, 200, 16, false, null);
    assertEquals(200, explicit.training().getNumPartitions(), "numPartitions 200 honoured");
    explicit.close();
    Dataset<Row> small = frame(3, schema("x", "label"), rows).cache();
    BlockData.Loaded kept = TestData.load(small, "label", null, 0, 16, false, null);
    assertEquals(3, kept.training().getNumPartitions(), "3 input partitions kept");
    kept.close();
    small.unpersist();
    df.unpersist();
  }

  @Test
  void manyInputPartitionsIntoFewerAndMoreIsDeterministic() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(new Object[] {(double) i, i * 0.5});
    }
    Dataset<Row> df = spark.createDataFrame(rows.stream().map(RowFactory::create).toList(),
        schema("x", "label")).repartition(4).cache();
    for (int p : new int[] {2, 7}) {
      BlockData.Loaded a = TestData.load(df, "label", null, p, 16, false, null);
      BlockData.Loaded b = TestData.load(df, "label", null, p, 16, false, null);
      assertEquals(p, a.training().getNumPartitions());
      List<List<double[]>> ra = TestData.rowsByPartition(a.training());
      List<List<double[]>> rb = TestData.rowsByPartition(b.training());
      double sum = 0;
      int n = 0;
      for (int q = 0; q < p; q++) {
        int size = ra.get(q).size();
        assertTrue(size == 200 / p || size == 200 / p + 1, "balanced: " + size + " rows in " + q);
        for (int k = 0; k < size; k++) {
          assertArrayEquals(ra.get(q).get(k), rb.get(q).get(k), "partition " + q + " row " + k);
          sum += ra.get(q).get(k)[0];
          n++;
        }
      }
      assertEquals(200, n);
      assertEquals(199 * 200 / 2.0, sum, "every row once");
      a.close();
      b.close();
    }
    df.unpersist();
  }

  static DataException refused(Dataset<Row> df, String label, List<String> features) {
    return assertThrows(DataException.class,
        () -> TestData.load(df, label, features, 0, 8, false, null));
  }

  static void assertMentions(Exception e, String... words) {
    String m = e.getMessage();
    assertTrue(!m.contains("\n"), "one line: " + m);
    for (String w : words) {
      assertTrue(m.contains(w), "expected '" + w + "' in: " + m);
    }
  }

  @Test
  void missingOrMistypedColumnsAreNamed() {
    Dataset<Row> v = TestData.assembled(table, "label", null);
    assertMentions(assertThrows(DataException.class, () -> BlockData.load(v, spec("y", 3))),
        "'y'", "f0, f1, f2, label, features");
    assertMentions(assertThrows(DataException.class, () -> BlockData.load(
        v.withColumn("label", v.col("label").cast("string")), spec("label", 3))),
        "label column 'label' is string, not numeric");
    assertMentions(assertThrows(DataException.class, () -> BlockData.load(
        v.withColumnRenamed("features", "g"), spec("label", 3))), "no features column 'features'");
    assertMentions(assertThrows(DataException.class, () -> BlockData.load(v, spec("label", 4))),
        "holds vectors of 3 values", "network takes 4 inputs");
  }

  private static BlockData.Spec spec(String label, int d) {
    return BlockData.Spec.builder("features", label, d, 8).standardize(true, true)
        .storage(StorageLevel.MEMORY_ONLY()).build();
  }

  @Test
  void invalidValuesAreCountedPerColumnOrDropped() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(new Object[] {(double) i, (double) i, (double) i});
    }
    rows.get(3)[0] = null;
    rows.get(5)[1] = Double.NaN;
    rows.get(6)[1] = Double.POSITIVE_INFINITY;
    rows.get(6)[2] = Double.NEGATIVE_INFINITY;
    rows.get(9)[2] = null;
    Dataset<Row> df = frame(2, schema("a", "b", "label"), rows);
    DataException e = refused(df, "label", null);
    assertEquals(DataException.Kind.INVALID_VALUES, e.kind());
    assertMentions(e, "4 of 20 rows", "a: 1", "b: 2", "label: 2", "handleInvalid");
    BlockData.Loaded t = TestData.load(df, "label", null, 0, 8, true, null);
    assertEquals(16, t.trainingRows());
    assertEquals(4, t.invalidRows());
    double[] kept = t.training().collect().stream().flatMapToDouble(b -> Arrays.stream(((Block.Doubles) b).y()))
        .sorted().toArray();
    assertArrayEquals(new double[] {0, 1, 2, 4, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19},
        kept);
    t.close();
    // Column a is not used, so not checked: rows 5, 6 (b) and 6, 9 (label) are dropped.
    BlockData.Loaded u = TestData.load(df, "b", List.of("label"), 0, 8, true, null);
    assertEquals(17, u.trainingRows());
    assertEquals(3, u.invalidRows());
    u.close();
  }

  @Test
  void zeroRows() {
    Dataset<Row> empty = frame(1, schema("x", "label"), List.of());
    assertMentions(refused(empty, "label", null), "no rows");
    List<Object[]> rows = List.<Object[]>of(new Object[] {1.0, null}, new Object[] {Double.NaN, 1.0});
    Dataset<Row> bad = frame(1, schema("x", "label"), rows);
    DataException e = assertThrows(DataException.class,
        () -> TestData.load(bad, "label", null, 0, 8, true, null));
    assertEquals(DataException.Kind.NO_ROWS, e.kind());
    assertMentions(e, "no training rows left of 2 after leaving out 2");
  }

  @Test
  void standardizationUsesTheTrainingRowsMeanAndPopulationDeviationAndWarnsOfConstants() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(new Object[] {(double) i, 5.0, 2.0 * i + 1});
    }
    Dataset<Row> v = TestData.assembled(frame(3, schema("x", "c", "label"), rows), "label", null);
    BlockData.Loaded t = BlockData.load(v, BlockData.Spec.builder("features", "label", 2, 4)
        .standardize(true, true).storage(StorageLevel.MEMORY_ONLY()).build());
    // x = 0..9: mean 4.5, population variance (n^2 - 1) / 12 = 8.25; label = 2x + 1.
    Scaling s = t.scaling();
    assertEquals(4.5, s.mean()[0], 1e-15);
    assertEquals(Math.sqrt(8.25), s.scale()[0], 1e-15);
    assertEquals(5.0, s.mean()[1], 1e-15);
    assertEquals(1.0, s.scale()[1], "a constant column is centred, not scaled");
    assertEquals(10.0, s.labelMean(), 1e-14);
    assertEquals(2 * Math.sqrt(8.25), s.labelScale(), 1e-14);
    assertEquals(1, t.warnings().size(), t.warnings().toString());
    assertMentions(new RuntimeException(t.warnings().get(0)), "feature 'c' is constant (5.0)",
        "centred, not scaled");
    double[] x0 = t.training().collect().stream().flatMapToDouble(b ->
        Arrays.stream(Arrays.copyOf(((Block.Doubles) b).x(), b.n()))).sorted().toArray();
    assertEquals(-4.5 / Math.sqrt(8.25), x0[0], 1e-15, "the blocks hold standardized values");
    t.close();
  }

  @Test
  void aColumnOfSubnormalNumbersIsStandardizedNotCalledConstant() {
    // x = (i + 1) e-310: its variance (~8e-620) is far below the least double; the mean and
    // deviation are computed exactly here with BigDecimal from the doubles the column holds.
    List<Object[]> rows = new ArrayList<>();
    double[] x = new double[10];
    for (int i = 0; i < 10; i++) {
      x[i] = (i + 1) * 1e-310;
      rows.add(new Object[] {x[i], i % 2 == 0 ? 0.0 : Double.MIN_VALUE, (double) i});
    }
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    for (double v : x) {
      sum = sum.add(new java.math.BigDecimal(v));
    }
    java.math.BigDecimal mean = sum.divide(java.math.BigDecimal.TEN);
    java.math.BigDecimal ss = java.math.BigDecimal.ZERO;
    for (double v : x) {
      java.math.BigDecimal dev = new java.math.BigDecimal(v).subtract(mean);
      ss = ss.add(dev.multiply(dev));
    }
    double sd = ss.divide(java.math.BigDecimal.TEN).sqrt(java.math.MathContext.DECIMAL64)
        .doubleValue();
    Dataset<Row> v = TestData.assembled(frame(3, schema("x", "t", "label"), rows), "label", null);
    BlockData.Loaded t = BlockData.load(v, BlockData.Spec.builder("features", "label", 2, 4)
        .standardize(true, false).storage(StorageLevel.MEMORY_ONLY()).build());
    Scaling s = t.scaling();
    // a subnormal near 3e-310 carries about 45 bits: agreement to 1e-12 is all it can give
    assertEquals(mean.doubleValue(), s.mean()[0], 1e-12 * mean.doubleValue());
    assertEquals(sd, s.scale()[0], 1e-12 * sd, "the deviation of the subnormal column");
    // t holds 0 and the least double: values that differ, whose deviation rounds to 0
    assertEquals(Double.MIN_VALUE, s.scale()[1], "a spread of one unit in the last place");
    assertEquals(List.of(), t.warnings(), "no column is constant");
    double[] x0 = t.training().collect().stream().flatMapToDouble(b ->
        Arrays.stream(Arrays.copyOf(((Block.Doubles) b).x(), b.n()))).sorted().toArray();
    double want = new java.math.BigDecimal(x[0]).subtract(mean).doubleValue() / sd;
    assertEquals(want, x0[0], 1e-9, "the least standardized value");
    assertEquals(-want, x0[9], 1e-9, "the greatest, by symmetry");
    t.close();
  }

  @Test
  void defaultBlockSizeIsLongOnlyWhenEveryLayerAfterTheInputIsNarrow() {
    assertEquals(1024, blockSize(10, 2, 2, 1), "10-2-2-1");
    assertEquals(1024, blockSize(500, 8, 8, 1), "500-8-8-1: the input's width does not count");
    assertEquals(256, blockSize(10, 9, 1), "10-9-1");
    assertEquals(256, blockSize(10, 2, 64, 1), "10-2-64-1");
    assertEquals(256, blockSize(10, 2, 16), "10-2-16: the output counts");
  }

  private static int blockSize(int... layers) {
    return new MultilayerPerceptronRegressor().setLayers(layers).getBlockSize();
  }
}
