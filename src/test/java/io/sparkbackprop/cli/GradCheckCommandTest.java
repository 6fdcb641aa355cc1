package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.WeightsFile;
import io.sparkbackprop.nn.Network;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gradcheck} end to end through {@link Main#run}, output captured. Data files are CSV only:
 * no Spark session starts here.
 */
class GradCheckCommandTest {
  private static final Pattern MAX = Pattern.compile("max relative error (\\S+) \\(threshold");
  private static final Pattern ROW = Pattern.compile("^(W\\[\\d+\\]\\[\\d+\\]\\[\\d+\\])\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)$");

  @TempDir
  Path dir;

  /** What one run printed and returned. */
  record Run(int exit, String out, String err) {
    /** Table rows by weight name: {backprop, numeric, rel.error}. */
    Map<String, double[]> table() {
      Map<String, double[]> rows = new LinkedHashMap<>();
      for (String line : out.split("\n")) {
        Matcher m = ROW.matcher(line.strip());
        if (m.matches()) {
          double[] v = {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
              Double.parseDouble(m.group(4))};
          if (rows.put(m.group(1), v) != null) {
            throw new AssertionError("weight " + m.group(1) + " listed twice in:\n" + out);
          }
        }
      }
      return rows;
    }

    double maxRelError() {
      Matcher m = MAX.matcher(out);
      if (!m.find()) {
        throw new AssertionError("no 'max relative error' line in:\n" + out);
      }
      return Double.parseDouble(m.group(1));
    }
  }

  private static Run run(String... argv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(argv, o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every W[l][from][to] of a 2-2-2-1 network: 3 x 2 + 3 x 2 + 3 x 1 = 15. */
  private static List<String> textbookNames() {
    List<String> names = new ArrayList<>();
    int[] widths = {2, 2, 2, 1};
    for (int l = 1; l < widths.length; l++) {
      for (int to = 1; to <= widths[l]; to++) {
        for (int from = 0; from <= widths[l - 1]; from++) {
          names.add("W[" + l + "][" + from + "][" + to + "]");
        }
      }
    }
    return names;
  }

  @Test
  void defaultCasePassesOnAll15Weights() {
    Run r = run("gradcheck");
    assertEquals(0, r.exit(), () -> "exit code of the default gradcheck; stderr: " + r.err()
        + "\nstdout:\n" + r.out());
    assertEquals("", r.err(), "stderr of a passing run");
    double max = r.maxRelError();
    assertTrue(max < 1e-6, () -> "max relative error expected < 1e-6, got " + max);
    Map<String, double[]> table = r.table();
    List<String> names = textbookNames();
    assertEquals(15, names.size(), "test setup: 15 weights in 2-2-2-1");
    assertEquals(names.size(), table.size(), () -> "weights listed, expected " + names + ", got "
        + table.keySet());
    for (String name : names) {
      double[] v = table.get(name);
      assertTrue(v != null, () -> name + " missing from the table:\n" + r.out());
      // The row prints its error to 3 digits, the max line to 4: compare within that rounding.
      assertTrue(v[2] <= max * 1.01, () -> name + ": rel.error " + v[2] + " above the reported max "
          + max);
      double rel = Math.abs(v[0] - v[1]) / Math.max(Math.abs(v[0]), Math.abs(v[1]));
      assertTrue(rel < 1e-6, () -> name + ": backprop " + v[0] + " vs numeric " + v[1]
          + ", relative error " + rel + " expected < 1e-6");
    }
    assertTrue(r.out().contains("the textbook's row X1=2, X2=3, Y=100"),
        () -> "expected the textbook's row named in the header, got:\n" + r.out());
  }

  /**
   * The hand-computed case of GoldenValuesTest as a weights file and a CSV: 2-1-1 sigmoid/identity,
   * W[1] = (ln 3, 0.75, 0.5), W[2] = (2.5, -2); rows (2, -3 | 0) and (-2, 3 | 4) with L = 1 and 9.
   * J = 10 / 2 = 5; dJ/dW = (sum of the rows' gradients) / 2 = (0.75, -3, 4.5, -2, -1.5).
   */
  @Test
  void weightsFileReproducesTheHandComputedCase() throws Exception {
    Path weights = dir.resolve("golden.json");
    Files.writeString(weights, "{\"layers\": [2, 1, 1], \"activations\": [\"sigmoid\", \"identity\"],"
        + " \"weights\": [[[" + Math.log(3.0) + "], [0.75], [0.5]], [[2.5], [-2]]]}");
    Path data = dir.resolve("golden.csv");
    Files.writeString(data, "X1,X2,Y\n2,-3,0\n-2,3,4\n");
    Run r = run("gradcheck", "--weights", weights.toString(), "--data", data.toString());
    assertEquals(0, r.exit(), () -> "exit code; stderr: " + r.err() + "\nstdout:\n" + r.out());
    assertEquals("", r.err(), "stderr of a passing run");
    assertTrue(r.out().contains("objective J = (1/n) sum L = 5.0000000000000000e+00"),
        () -> "expected J = 5 (L = 1 and 9 over 2 rows) in:\n" + r.out());
    assertTrue(r.out().contains("(2 rows)"), () -> "expected '(2 rows)' in:\n" + r.out());
    Map<String, double[]> table = r.table();
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("W[1][0][1]", 0.75);
    expected.put("W[1][1][1]", -3.0);
    expected.put("W[1][2][1]", 4.5);
    expected.put("W[2][0][1]", -2.0);
    expected.put("W[2][1][1]", -1.5);
    assertEquals(expected.keySet(), table.keySet(), "weights listed");
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      double bp = table.get(e.getKey())[0];
      double num = table.get(e.getKey())[1];
      assertEquals(e.getValue(), bp, 1e-15 * Math.abs(e.getValue()),
          "backprop dJ/d" + e.getKey() + " (hand-computed)");
      assertEquals(e.getValue(), num, 1e-9 * Math.abs(e.getValue()),
          "numeric dJ/d" + e.getKey() + " (hand-computed)");
    }
    assertTrue(r.maxRelError() < 1e-6, () -> "max relative error " + r.maxRelError());
  }

  /** The default's seeded weights saved as a file give the very same table. */
  @Test
  void weightsFileOfTheDefaultWeightsGivesTheDefaultTable() throws Exception {
    Network net = Network.of(new int[] {2, 2, 2, 1}, io.sparkbackprop.nn.Activation.SIGMOID,
        io.sparkbackprop.nn.Activation.SIGMOID);
    Path weights = dir.resolve("default.json");
    Files.writeString(weights, WeightsFile.toJson(net, net.standardNormalWeights(1)).toString());
    Run fromFile = run("gradcheck", "--weights", weights.toString());
    Run dflt = run("gradcheck");
    assertEquals(0, fromFile.exit(), () -> "exit code; stderr: " + fromFile.err());
    Map<String, double[]> a = dflt.table();
    Map<String, double[]> b = fromFile.table();
    assertEquals(a.keySet(), b.keySet(), "weights listed");
    for (String k : a.keySet()) {
      assertEquals(a.get(k)[0], b.get(k)[0], 0.0, k + ": backprop with --weights vs default seed 1");
      assertEquals(a.get(k)[1], b.get(k)[1], 0.0, k + ": numeric with --weights vs default seed 1");
    }
  }

  @Test
  void weightsFileWithWrongShapeIsOneLineExit2() throws Exception {
    Path weights = dir.resolve("bad.json");
    // layers say 2-2-1, but layer 1 has only the bias and one input row.
    Files.writeString(weights, "{\"layers\": [2, 2, 1], \"activations\": [\"sigmoid\", \"sigmoid\"],"
        + " \"weights\": [[[0, 0], [1, 1]], [[0], [1], [1]]]}");
    Run r = run("gradcheck", "--weights", weights.toString());
    assertOneLineError(r, "error: " + weights + ": weights[0] must have 3 rows (bias + 2 inputs), got 2");
  }

  @Test
  void unknownActivationIsOneLineExit2() throws Exception {
    assertOneLineError(run("gradcheck", "--activation", "softmax"),
        "error: gradcheck: unknown activation 'softmax' (known: identity, sigmoid, tanh, relu)");
    Path weights = dir.resolve("act.json");
    Files.writeString(weights, "{\"layers\": [2, 1, 1], \"activations\": [\"swish\", \"identity\"],"
        + " \"weights\": [[[0], [1], [1]], [[0], [1]]]}");
    assertOneLineError(run("gradcheck", "--weights", weights.toString()), "error: " + weights
        + ": activations[0]: unknown activation 'swish' (known: identity, sigmoid, tanh, relu)");
  }

  @Test
  void csvWithMissingColumnIsOneLineExit2() throws Exception {
    Path noColumn = dir.resolve("nocol.csv");
    Files.writeString(noColumn, "X1,Y\n1,2\n");
    assertOneLineError(run("gradcheck", "--data", noColumn.toString()),
        "error: " + noColumn + ": no column 'X2' (columns: X1, Y)");

    Path shortRow = dir.resolve("short.csv");
    Files.writeString(shortRow, "X1,X2,Y\n1,2,3\n4,5\n");
    assertOneLineError(run("gradcheck", "--data", shortRow.toString()),
        "error: " + shortRow + ": column 'Y', line 3: not a number: ''");
  }

  @Test
  void csvWithNonNumericValueIsOneLineExit2() throws Exception {
    Path data = dir.resolve("text.csv");
    Files.writeString(data, "X1,X2,Y\n1,2,3\n1,abc,3\n");
    assertOneLineError(run("gradcheck", "--data", data.toString()),
        "error: " + data + ": column 'X2', line 3: not a number: 'abc'");
  }

  @Test
  void unknownCommandAndOptionAreExit2() {
    Run unknown = run("gradchek");
    assertEquals(2, unknown.exit(), "exit code for an unknown command");
    assertTrue(unknown.err().startsWith("error: unknown command 'gradchek' (known: gradcheck, ")
        && unknown.err().strip().indexOf('\n') < 0, "stderr: " + unknown.err());
    assertOneLineError(run("gradcheck", "--layer", "2,1"),
        "error: gradcheck: unknown option --layer (see --help)");
  }

  private static void assertOneLineError(Run r, String expected) {
    assertEquals(2, r.exit(), () -> "exit code for bad input; stderr: " + r.err());
    assertEquals(expected + System.lineSeparator(), r.err(), "stderr: one line");
    assertEquals("", r.out(), "stdout on bad input");
  }
}
