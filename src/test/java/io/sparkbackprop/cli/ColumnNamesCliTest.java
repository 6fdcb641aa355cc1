package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.SavedModel;
import io.sparkbackprop.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Column names with dots, spaces, backticks, quotes and unicode through train, predict, evaluate
 * and convert; two columns that differ only in case. The oracle for the odd names is the same
 * table under plain names: every number must come out the same.
 */
class ColumnNamesCliTest {
  /** Odd names and their plain twins, the label last. */
  static final List<String> ODD = List.of("a.b", "c d", "e`f", "g'h\"", "größe", "y.label");
  static final List<String> PLAIN = List.of("x0", "x1", "x2", "x3", "x4", "y");

  @TempDir
  static Path tmp;
  static SparkSession spark;
  static String odd;
  static String plain;

  @BeforeAll
  static void setUp() {
    spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double t = i / 40.0;
      rows.add(RowFactory.create(t, Math.sin(3 * t), t * t, 1 - t, Math.cos(2 * t),
          2 * t - Math.sin(3 * t) + 0.5 * t * t));
    }
    odd = write("odd", ODD, rows);
    plain = write("plain", PLAIN, rows);
  }

  private static String write(String name, List<String> cols, List<Row> rows) {
    StructType s = new StructType();
    for (String c : cols) {
      s = s.add(c, DataTypes.DoubleType, false);
    }
    String path = tmp.resolve(name).toString();
    spark.createDataFrame(rows, s).coalesce(1).write().parquet(path);
    return path;
  }

  private static CliRun train(String input, String model, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--input", input, "--model", model,
        "--hidden", "3", "--iterations", "15", "--seed", "5", "--validation-fraction", "0.25"));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(new String[0]));
  }

  @Test
  void oddNamesTrainPredictAndEvaluateAsPlainOnesDo() throws Exception {
    String oddModel = tmp.resolve("m-odd").toString();
    String plainModel = tmp.resolve("m-plain").toString();
    // --features names the columns, one of them in Spark's backtick quoting
    CliRun a = train(odd, oddModel, "--label", "y.label", "--features",
        "`a.b`,c d,e`f,g'h\",größe");
    assertEquals(0, a.code(), a.err());
    CliRun b = train(plain, plainModel, "--label", "y");
    assertEquals(0, b.code(), b.err());
    SavedModel ma = SavedModel.read(Path.of(oddModel));
    SavedModel mb = SavedModel.read(Path.of(plainModel));
    assertEquals(ODD.subList(0, 5), ma.features(), "the model's feature names");
    assertEquals("y.label", ma.label());
    assertTrue(Arrays.equals(mb.weights(), ma.weights()),
        "odd names trained other weights than plain ones");

    // without --features: every column but the label
    String defaultModel = tmp.resolve("m-default").toString();
    CliRun c = train(odd, defaultModel, "--label", "y.label");
    assertEquals(0, c.code(), c.err());
    assertTrue(Arrays.equals(ma.weights(), SavedModel.read(Path.of(defaultModel)).weights()));

    String predOdd = tmp.resolve("p-odd").toString();
    String predPlain = tmp.resolve("p-plain").toString();
    CliRun p = CliRun.of("predict", "--model", oddModel, "--input", odd,
        "--output", predOdd, "--prediction-col", "pred.`x` y");
    assertEquals(0, p.code(), p.err());
    assertEquals(0, CliRun.of("predict", "--model", plainModel, "--input", plain,
        "--output", predPlain).code());
    Dataset<Row> po = spark.read().parquet(predOdd);
    List<String> want = new ArrayList<>(ODD);
    want.add("pred.`x` y");
    assertEquals(want, Arrays.asList(po.columns()), "predict keeps the input's names");
    List<Row> ro = po.collectAsList();
    List<Row> rp = spark.read().parquet(predPlain).collectAsList();
    assertEquals(40, ro.size());
    for (int i = 0; i < ro.size(); i++) {
      assertEquals(rp.get(i).getDouble(6), ro.get(i).getDouble(6), "prediction of row " + i);
    }

    CliRun eo = CliRun.of("evaluate", "--model", oddModel, "--input", odd,
        "--json");
    CliRun ep = CliRun.of("evaluate", "--model", plainModel, "--input", plain,
        "--json");
    assertEquals(0, eo.code(), eo.err());
    assertEquals(ep.out().replace("\"y\"", "\"y.label\"").replace(plain, odd)
        .replace(plainModel, oddModel), eo.out());
  }

  @Test
  void aMissingOddNameIsOneLineListingTheColumnsAndTheCloseOne() {
    CliRun r = train(odd, tmp.resolve("m-missing").toString(), "--label", "y.label",
        "--features", "a_b,c d");
    assertEquals(2, r.code(), r.err());
    assertEquals("error: " + odd + ": no feature column 'a_b' (columns: 'a.b', 'c d', 'e`f',"
        + " 'g'h\"', 'größe', 'y.label'); did you mean 'a.b'?", r.err().strip());
  }

  @Test
  void convertKeepsOddNames() throws Exception {
    Path csv = tmp.resolve("odd.csv");
    Files.writeString(csv, "a.b,c d,e`f,größe,name\n1,2.5,3,4,x\n5,6,7,8,y\n");
    String out = tmp.resolve("converted").toString();
    CliRun r = CliRun.of("convert", "--input", csv.toString(), "--output", out);
    assertEquals(0, r.code(), r.err());
    Dataset<Row> df = spark.read().parquet(out);
    assertEquals(List.of("a.b", "c d", "e`f", "größe", "name"), Arrays.asList(df.columns()));
    assertEquals(DataTypes.DoubleType, df.schema().apply("e`f").dataType());
    assertEquals(7.0, df.collectAsList().get(1).getDouble(2));
  }

  @Test
  void columnsThatDifferOnlyInCaseAreNamedWithTheFile() throws Exception {
    Path f = ParquetCorpus.write(tmp.resolve("case/part-0.parquet"),
        "message t { required double F1; required double f1; required double label; }",
        List.of(new Object[] {1.0, 2.0, 3.0}, new Object[] {2.0, 3.0, 5.0}));
    String model = tmp.resolve("m-case").toString();
    CliRun r = train(f.toString(), model);
    assertEquals(2, r.code(), r.err());
    assertEquals("error: " + f + ": columns 'F1' and 'f1' differ only in case, which Spark does"
        + " not tell apart (spark.sql.caseSensitive is false): rename one of them",
        r.err().strip());
    assertFalse(Files.exists(Path.of(model)));
  }
}
