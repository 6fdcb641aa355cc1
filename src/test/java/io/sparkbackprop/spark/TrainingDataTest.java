package io.sparkbackprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.cli.UsageException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
  @TempDir static Path dir;
  static SparkSession spark;
  /** 23 rows: f0 = 10 i, f1 = 10 i + 1, f2 = 10 i + 2, label = -i, one part file. */
  static String table;

  @BeforeAll
  static void setUp() {
    spark = SparkTestSession.get();
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      rows.add(new Object[] {10.0 * i, 10.0 * i + 1, 10.0 * i + 2, -1.0 * i});
    }
    table = write("table", 1, schema("f0", "f1", "f2", "label"), rows);
  }

  static StructType schema(String... names) {
    List<StructField> f = new ArrayList<>();
    for (String n : names) {
      f.add(DataTypes.createStructField(n, DataTypes.DoubleType, true));
    }
    return DataTypes.createStructType(f);
  }

  static String write(String name, int files, StructType schema, List<Object[]> rows) {
    List<Row> r = rows.stream().map(RowFactory::create).toList();
    String path = dir.resolve(name).toString();
    spark.createDataFrame(r, schema).coalesce(files).write().parquet(path);
    return path;
  }

  /** The rows of every block, partition by partition: [partition][row][features..., label]. */
  static List<List<double[]>> rowsByPartition(TrainingData.Loaded t) {
    List<List<Block>> parts = t.blocks().glom().collect();
    List<List<double[]>> out = new ArrayList<>();
    for (List<Block> p : parts) {
      List<double[]> rows = new ArrayList<>();
      for (Block b : p) {
        int d = b.features();
        for (int i = 0; i < b.n(); i++) {
          double[] v = new double[d + 1];
          for (int j = 0; j < d; j++) {
            v[j] = b.x()[j * b.n() + i];
          }
          v[d] = b.y()[i];
          rows.add(v);
        }
      }
      out.add(rows);
    }
    return out;
  }

  @Test
  void blocksAreColumnMajorInFileOrderWithAShortLastBlock() {
    TrainingData.Loaded t = TrainingData.load(spark, table, "label", List.of("f2", "f0"), 0, 5,
        false);
    assertEquals(List.of("f2", "f0"), t.features());
    assertEquals("label", t.label());
    assertEquals(23, t.rows());
    assertEquals(0, t.dropped());
    assertEquals(1, t.blocks().getNumPartitions(), "partitions kept from the input");
    List<Block> blocks = t.blocks().collect();
    assertEquals(List.of(5, 5, 5, 5, 3), blocks.stream().map(Block::n).toList());
    int first = 0;
    for (Block b : blocks) {
      assertEquals(2, b.features());
      for (int i = 0; i < b.n(); i++) {
        int row = first + i;
        assertEquals(10.0 * row + 2, b.x()[i], "f2 of row " + row);
        assertEquals(10.0 * row, b.x()[b.n() + i], "f0 of row " + row);
        assertEquals(-1.0 * row, b.y()[i], "label of row " + row);
      }
      first += b.n();
    }
    assertTrue(TrainingData.cachedBytes(t.blocks()) > 0, "blocks are cached");
    t.blocks().unpersist(true);
  }

  @Test
  void blockIteratorGrowsItsBufferAndTransposes() {
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(new double[] {i, -i, 0.5 * i});
    }
    TrainingData.BlockIterator it = new TrainingData.BlockIterator(rows.iterator(), 2, 2500);
    Block a = it.next();
    Block b = it.next();
    assertTrue(!it.hasNext(), "two blocks");
    assertEquals(2500, a.n());
    assertEquals(500, b.n());
    for (int i = 0; i < 3000; i++) {
      Block k = i < 2500 ? a : b;
      int r = i < 2500 ? i : i - 2500;
      assertEquals(i, k.x()[r], "x0 of row " + i);
      assertEquals(-i, k.x()[k.n() + r], "x1 of row " + i);
      assertEquals(0.5 * i, k.y()[r], "y of row " + i);
    }
  }

  @Test
  void partitionsAreRoundRobinByRowAndTheSameEveryTime() {
    TrainingData.Loaded a = TrainingData.load(spark, table, "label", null, 3, 4, false);
    TrainingData.Loaded b = TrainingData.load(spark, table, "label", null, 3, 4, false);
    assertEquals(List.of("f0", "f1", "f2"), a.features());
    assertEquals(3, a.blocks().getNumPartitions());
    List<List<double[]>> pa = rowsByPartition(a);
    for (int p = 0; p < 3; p++) {
      List<double[]> rows = pa.get(p);
      assertEquals(p < 2 ? 8 : 7, rows.size(), "rows in partition " + p);
      for (int k = 0; k < rows.size(); k++) {
        int g = p + 3 * k;
        assertArrayEquals(new double[] {10.0 * g, 10.0 * g + 1, 10.0 * g + 2, -1.0 * g},
            rows.get(k), "partition " + p + " row " + k);
      }
    }
    List<List<Block>> ba = a.blocks().glom().collect();
    List<List<Block>> bb = b.blocks().glom().collect();
    assertEquals(List.of(2, 2, 2), ba.stream().map(List::size).toList(), "blocks of up to 4 rows");
    for (int p = 0; p < 3; p++) {
      for (int k = 0; k < ba.get(p).size(); k++) {
        assertArrayEquals(ba.get(p).get(k).x(), bb.get(p).get(k).x(), "x, partition " + p);
        assertArrayEquals(ba.get(p).get(k).y(), bb.get(p).get(k).y(), "y, partition " + p);
      }
    }
    a.blocks().unpersist(true);
    b.blocks().unpersist(true);
  }

  @Test
  void manyFilesIntoFewerAndMorePartitionsIsDeterministic() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(new Object[] {(double) i, i * 0.5});
    }
    String path = write("many", 4, schema("x", "label"), rows);
    for (int p : new int[] {2, 7}) {
      TrainingData.Loaded a = TrainingData.load(spark, path, "label", null, p, 16, false);
      TrainingData.Loaded b = p == 7 ? TrainingData.load(spark, path, "label", null, p, 16, false) : a;
      assertEquals(p, a.blocks().getNumPartitions());
      List<List<double[]>> ra = rowsByPartition(a);
      List<List<double[]>> rb = rowsByPartition(b);
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
      a.blocks().unpersist(true);
      b.blocks().unpersist(true);
    }
  }

  @Test
  void everyNumericTypeIsReadAsDoubleAndNonNumericIsSkippedByDefault() {
    StructType s = DataTypes.createStructType(new StructField[] {
        field("b", DataTypes.ByteType), field("name", DataTypes.StringType),
        field("s", DataTypes.ShortType), field("i", DataTypes.IntegerType),
        field("l", DataTypes.LongType), field("f", DataTypes.FloatType),
        field("dec", DataTypes.createDecimalType(10, 3)), field("label", DataTypes.DoubleType)});
    List<Object[]> rows = List.of(
        new Object[] {(byte) 1, "a", (short) 2, 3, 4L, 0.5f, new BigDecimal("6.125"), 7.0},
        new Object[] {(byte) -1, "b", (short) -2, -3, -4L, -0.5f, new BigDecimal("-6.125"), -7.0});
    String path = write("types", 1, s, rows);
    TrainingData.Loaded t = TrainingData.load(spark, path, "label", List.of(), 0, 10, false);
    assertEquals(List.of("b", "s", "i", "l", "f", "dec"), t.features());
    Block b = t.blocks().first();
    assertArrayEquals(new double[] {1, -1, 2, -2, 3, -3, 4, -4, 0.5, -0.5, 6.125, -6.125}, b.x());
    assertArrayEquals(new double[] {7, -7}, b.y());
    t.blocks().unpersist(true);
  }

  static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  static UsageException refused(String path, String label, List<String> features,
      boolean dropInvalid) {
    return assertThrows(UsageException.class,
        () -> TrainingData.load(spark, path, label, features, 0, 8, dropInvalid));
  }

  static void assertMentions(UsageException e, String... words) {
    String m = e.getMessage();
    assertTrue(!m.contains("\n"), "one line: " + m);
    for (String w : words) {
      assertTrue(m.contains(w), "expected '" + w + "' in: " + m);
    }
  }

  @Test
  void missingPath() {
    String p = dir.resolve("nowhere.parquet").toString();
    assertMentions(refused(p, "label", null, false), p, "no such file");
  }

  @Test
  void notParquet() throws IOException {
    Path p = dir.resolve("text.parquet");
    Files.writeString(p, "age,label\n1,2\n3,4\n");
    assertMentions(SparkTestSession.quietly(() -> refused(p.toString(), "label", null, false),
        SparkTestSession.TASK_FAILURE_LOGGERS), p.toString(), "not readable as Parquet");
  }

  @Test
  void corruptParquet() throws IOException {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(new Object[] {(double) i, (double) i});
    }
    String path = write("corrupt", 1, schema("x", "label"), rows);
    try (Stream<Path> s = Files.list(Path.of(path))) {
      Path part = s.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst()
          .orElseThrow();
      byte[] bytes = Files.readAllBytes(part);
      Files.write(part, Arrays.copyOf(bytes, bytes.length / 2));
      Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
    }
    // Spark logs the failed task with its stack trace; that is expected here, so keep it quiet.
    assertMentions(SparkTestSession.quietly(() -> refused(path, "label", null, false),
        SparkTestSession.TASK_FAILURE_LOGGERS), path, "not readable as Parquet");
  }

  @Test
  void missingLabelOrFeatureListsTheColumns() {
    assertMentions(refused(table, "y", null, false), table, "'y'", "f0, f1, f2, label");
    assertMentions(refused(table, "label", List.of("f0", "f9"), false), table, "'f9'",
        "f0, f1, f2, label");
  }

  @Test
  void nonNumericColumnIsNamedWithItsType() {
    StructType s = DataTypes.createStructType(new StructField[] {
        field("x", DataTypes.DoubleType), field("city", DataTypes.StringType),
        field("label", DataTypes.DoubleType)});
    String path = write("strings", 1, s, List.<Object[]>of(new Object[] {1.0, "Oslo", 2.0}));
    assertMentions(refused(path, "label", List.of("x", "city"), false), path, "'city'", "string",
        "not numeric");
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
    String path = write("invalid", 2, schema("a", "b", "label"), rows);
    assertMentions(refused(path, "label", null, false), path, "4 of 20 rows", "a: 1", "b: 2",
        "label: 2");
    TrainingData.Loaded t = TrainingData.load(spark, path, "label", null, 0, 8, true);
    assertEquals(16, t.rows());
    assertEquals(4, t.dropped());
    double[] kept = t.blocks().collect().stream().flatMapToDouble(b -> Arrays.stream(b.y()))
        .sorted().toArray();
    assertArrayEquals(new double[] {0, 1, 2, 4, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19},
        kept);
    t.blocks().unpersist(true);
    // Column a is not used, so not checked: rows 5, 6 (b) and 6, 9 (label) are dropped.
    TrainingData.Loaded u = TrainingData.load(spark, path, "b", List.of("label"), 0, 8, true);
    assertEquals(17, u.rows());
    assertEquals(3, u.dropped());
    u.blocks().unpersist(true);
  }

  @Test
  void zeroRows() {
    String empty = write("empty", 1, schema("x", "label"), List.of());
    assertMentions(refused(empty, "label", null, false), empty, "no rows");
    List<Object[]> rows = List.<Object[]>of(new Object[] {1.0, null}, new Object[] {Double.NaN, 1.0});
    String bad = write("allbad", 1, schema("x", "label"), rows);
    assertMentions(refused(bad, "label", null, true), bad, "no rows left after dropping 2");
  }

  @Test
  void defaultBlockSizeIsLongOnlyWhenEveryLayerAfterTheInputIsNarrow() {
    assertEquals(1024, TrainingData.defaultBlockSize(new int[] {10, 2, 2, 1}), "10-2-2-1");
    assertEquals(1024, TrainingData.defaultBlockSize(new int[] {500, 8, 8, 1}),
        "500-8-8-1: the input's width does not count");
    assertEquals(256, TrainingData.defaultBlockSize(new int[] {10, 9, 1}), "10-9-1");
    assertEquals(256, TrainingData.defaultBlockSize(new int[] {10, 2, 64, 1}), "10-2-64-1");
    assertEquals(256, TrainingData.defaultBlockSize(new int[] {10, 2, 16}),
        "10-2-16: the output counts");
  }
}
