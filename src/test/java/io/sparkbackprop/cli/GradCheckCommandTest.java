package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.WeightsFile;
import io.sparkbackprop.nn.Network;
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

  /** The table rows of a gradcheck run's stdout by weight name: {backprop, numeric, rel.error}. */
  private static Map<String, double[]> table(CliRun r) {
    Map<String, double[]> rows = new LinkedHashMap<>();
    for (String line : r.out().split("\n")) {
      Matcher m = ROW.matcher(line.strip());
      if (m.matches()) {
        double[] v = {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4))};
        if (rows.put(m.group(1), v) != null) {
          throw new AssertionError("weight " + m.group(1) + " listed twice in:\n" + r.out());
        }
      }
    }
    return rows;
  }

  private static double maxRelError(CliRun r) {
    Matcher m = MAX.matcher(r.out());
    if (!m.find()) {
      throw new AssertionError("no 'max relative error' line in:\n" + r.out());
    }
    return Double.parseDouble(m.group(1));
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
    CliRun r = CliRun.withoutSpark("gradcheck");
    assertEquals(0, r.code(), () -> "exit code of the default gradcheck; stderr: " + r.err()
        + "\nstdout:\n" + r.out());
    assertEquals("", r.err(), "stderr of a passing run");
    double max = maxRelError(r);
    assertTrue(max < 1e-6, () -> "max relative error expected < 1e-6, got " + max);
    Map<String, double[]> table = table(r);
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
    CliRun r = CliRun.withoutSpark("gradcheck", "--weights", weights.toString(), "--data", data.toString());
    assertEquals(0, r.code(), () -> "exit code; stderr: " + r.err() + "\nstdout:\n" + r.out());
    assertEquals("", r.err(), "stderr of a passing run");
    assertTrue(r.out().contains("objective J = (1/n) sum L = 5.0000000000000000e+00"),
        () -> "expected J = 5 (L = 1 and 9 over 2 rows) in:\n" + r.out());
    assertTrue(r.out().contains("(2 rows)"), () -> "expected '(2 rows)' in:\n" + r.out());
    Map<String, double[]> table = table(r);
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
    assertTrue(maxRelError(r) < 1e-6, () -> "max relative error " + maxRelError(r));
  }

  /** The default's seeded weights saved as a file give the very same table. */
  @Test
  void weightsFileOfTheDefaultWeightsGivesTheDefaultTable() throws Exception {
    Network net = Network.of(new int[] {2, 2, 2, 1}, io.sparkbackprop.nn.Activation.SIGMOID,
        io.sparkbackprop.nn.Activation.SIGMOID);
    Path weights = dir.resolve("default.json");
    Files.writeString(weights, WeightsFile.toJson(net, net.standardNormalWeights(1)).toString());
    CliRun fromFile = CliRun.withoutSpark("gradcheck", "--weights", weights.toString());
    CliRun dflt = CliRun.withoutSpark("gradcheck");
    assertEquals(0, fromFile.code(), () -> "exit code; stderr: " + fromFile.err());
    Map<String, double[]> a = table(dflt);
    Map<String, double[]> b = table(fromFile);
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
    CliRun r = CliRun.withoutSpark("gradcheck", "--weights", weights.toString());
    assertOneLineError(r, "error: " + weights + ": weights[0] must have 3 rows (bias + 2 inputs), got 2");
  }

  @Test
  void unknownActivationIsOneLineExit2() throws Exception {
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--activation", "softmax"),
        "error: gradcheck: unknown activation 'softmax' (known: identity, sigmoid, tanh, relu)");
    Path weights = dir.resolve("act.json");
    Files.writeString(weights, "{\"layers\": [2, 1, 1], \"activations\": [\"swish\", \"identity\"],"
        + " \"weights\": [[[0], [1], [1]], [[0], [1]]]}");
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--weights", weights.toString()), "error: " + weights
        + ": activations[0]: unknown activation 'swish' (known: identity, sigmoid, tanh, relu)");
  }

  @Test
  void csvWithMissingColumnIsOneLineExit2() throws Exception {
    Path noColumn = dir.resolve("nocol.csv");
    Files.writeString(noColumn, "X1,Y\n1,2\n");
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--data", noColumn.toString()),
        "error: " + noColumn + ": no column 'X2' (columns: X1, Y)");

    Path shortRow = dir.resolve("short.csv");
    Files.writeString(shortRow, "X1,X2,Y\n1,2,3\n4,5\n");
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--data", shortRow.toString()),
        "error: " + shortRow + ": column 'Y', line 3: not a number: ''");
  }

  @Test
  void csvWithNonNumericValueIsOneLineExit2() throws Exception {
    Path data = dir.resolve("text.csv");
    Files.writeString(data, "X1,X2,Y\n1,2,3\n1,abc,3\n");
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--data", data.toString()),
        "error: " + data + ": column 'X2', line 3: not a number: 'abc'");
  }

  @Test
  void unknownCommandAndOptionAreExit2() {
    CliRun unknown = CliRun.withoutSpark("gradchek");
    assertEquals(2, unknown.code(), "exit code for an unknown command");
    assertTrue(unknown.err().startsWith("error: unknown command 'gradchek' (known: gradcheck, ")
        && unknown.err().strip().indexOf('\n') < 0, "stderr: " + unknown.err());
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--layer", "2,1"),
        "error: gradcheck: Unknown options: '--layer', '2,1' (see gradcheck --help)");
  }

  /** The value at the end of the first line that starts with {@code name}, after its last "= ". */
  private static double chainValue(String out, String name) {
    for (String line : out.split("\n")) {
      if (line.strip().startsWith(name + " ")) {
        String tail = line.substring(line.lastIndexOf("= ") + 2).strip();
        return Double.parseDouble(tail.split("\\s+")[0]);
      }
    }
    throw new AssertionError("no line '" + name + " ...' in:\n" + out);
  }

  @Test
  void explainAloneIsTheTextbooksWeightWithItsChainAndAgreement() {
    CliRun r = CliRun.withoutSpark("gradcheck", "--explain");
    assertEquals(0, r.code(), () -> "exit code; stderr: " + r.err() + "\nstdout:\n" + r.out());
    assertEquals("", r.err(), "stderr of a passing run");
    String out = r.out();
    assertTrue(out.startsWith("gradcheck --explain: network 2-2-2-1 sigmoid,sigmoid,sigmoid"
        + " (15 weights), the textbook's row X1=2, X2=3, Y=100\n"), () -> "header of:\n" + out);
    assertTrue(out.contains("\nchain: dL/dW[1][1][1] = dL/dETA * sum(dETA/dH2 * dH2/dH11)"
        + " * dH11/dW[1][1][1]\n"), () -> "the chain of W[1][1][1] in:\n" + out);
    for (String factor : new String[] {"dL/dETA", "dETA/dH21", "dETA/dH22", "dH21/dH11",
        "dH22/dH11", "dETA/dH11", "dH11/dW[1][1][1]", "product", "backprop", "central difference",
        "textbook one-sided"}) {
      assertTrue(out.contains("\n  " + factor + " "), () -> "line of " + factor + " in:\n" + out);
    }
    assertTrue(table(r).isEmpty(), () -> "--explain prints no table:\n" + out);
    double product = chainValue(out, "product");
    double backprop = chainValue(out, "backprop");
    double central = chainValue(out, "central difference");
    assertTrue(Math.abs(product - backprop) <= 1e-13 * Math.abs(backprop),
        () -> "product " + product + " vs backprop " + backprop);
    assertTrue(Math.abs(central - backprop) <= 1e-6 * Math.abs(backprop),
        () -> "central " + central + " vs backprop " + backprop);
    // The same derivative as the table's (blocked kernel), to rounding.
    double table = table(CliRun.withoutSpark("gradcheck")).get("W[1][1][1]")[0];
    assertTrue(Math.abs(table - backprop) <= 1e-13 * Math.abs(table),
        () -> "--explain's backprop " + backprop + " vs the table's " + table);
    Matcher m = Pattern.compile("agreement for W\\[1\\]\\[1\\]\\[1\\]: backprop vs central"
        + " difference (\\S+) \\(threshold 1e-6\\): OK\n").matcher(out);
    assertTrue(m.find(), () -> "agreement line in:\n" + out);
    assertTrue(Double.parseDouble(m.group(1)) < 1e-6, () -> "agreement " + m.group(1));
  }

  @Test
  void explainIsRepeatableTakesInlineValuesAndLeavesTheNextOptionAlone() {
    CliRun r = CliRun.withoutSpark("gradcheck", "--explain", "W[3][0][1]", "--explain", "--step", "1e-4",
        "--explain=W[2][1][2]");
    assertEquals(0, r.code(), () -> "exit code; stderr: " + r.err() + "\nstdout:\n" + r.out());
    String out = r.out();
    int a = out.indexOf("\nchain: dL/dW[3][0][1] = dL/dETA * dETA/dW[3][0][1]\n");
    int b = out.indexOf("\nchain: dL/dW[1][1][1] = ");
    int c = out.indexOf("\nchain: dL/dW[2][1][2] = dL/dETA * dETA/dH22 * dH22/dW[2][1][2]\n");
    assertTrue(a >= 0 && a < b && b < c, () -> "three chains in the order given in:\n" + out);
    assertEquals(3, out.split("\nagreement for ", -1).length - 1, "agreement lines");
  }

  /** The hand-computed textbook case of nn.ChainRuleGoldenTest, from a weights file and a CSV. */
  @Test
  void explainReadsTheFirstRowOfData() throws Exception {
    Path weights = dir.resolve("textbook.json");
    Files.writeString(weights, "{\"layers\": [2, 2, 2, 1], \"activations\": [\"sigmoid\","
        + " \"sigmoid\", \"sigmoid\"], \"weights\": ["
        + "[[" + (Math.log(3) - 0.25) + ", " + (0.5 - Math.log(4)) + "], [0.5, -1], [-0.25, 0.5]],"
        + " [[-1, " + (Math.log(2) - 1.75) + "], [2, 1], [-2.5, 5]],"
        + " [[" + (-Math.log(3) - 1.5) + "], [1], [1.5]]]}");
    Path data = dir.resolve("rows.csv");
    Files.writeString(data, "X1,X2,Y\n2,3,100\n-1,0.5,7\n");
    CliRun r = CliRun.withoutSpark("gradcheck", "--weights", weights.toString(), "--data", data.toString(), "--explain");
    assertEquals(0, r.code(), () -> "exit code; stderr: " + r.err() + "\nstdout:\n" + r.out());
    assertTrue(r.out().contains("(2 rows), its first row\n"), () -> "header of:\n" + r.out());
    assertTrue(r.out().contains("\nrow: X1 = 2, X2 = 3, Y = 100\n"), () -> "row in:\n" + r.out());
    // By hand (ChainRuleGoldenTest): -399/2 * 5/32 * 3/8 = -5985/512.
    double expected = -5985.0 / 512;
    for (String name : new String[] {"product", "backprop"}) {
      double v = chainValue(r.out(), name);
      assertTrue(Math.abs(v - expected) <= 1e-15 * Math.abs(expected),
          () -> name + ": expected " + expected + ", got " + v);
    }
    assertEquals(-399.0 / 2, chainValue(r.out(), "dL/dETA"), 1e-13, "dL/dETA = -2 (100 - 1/4)");
    assertEquals(3.0 / 8, chainValue(r.out(), "dH11/dW[1][1][1]"), 1e-15, "dH11/dW = 3/16 * 2");
  }

  @Test
  void explainOfAWeightThatDoesNotExistIsOneLineExit2() throws Exception {
    String range = "2-2-2-1 has W[1][0..2][1..2], W[2][0..2][1..2], W[3][0..2][1]"
        + " (from = 0 is the bias)";
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--explain", "W[4][1][1]"),
        "error: gradcheck: --explain W[4][1][1]: no such weight; " + range);
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--explain", "W[2][3][1]"),
        "error: gradcheck: --explain W[2][3][1]: no such weight; " + range);
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--explain", "W[3][0][2]"),
        "error: gradcheck: --explain W[3][0][2]: no such weight; " + range);
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--explain", "W[1][x][1]"),
        "error: gradcheck: --explain 'W[1][x][1]' is not a weight name W[l][from][to]; " + range);
    // A good weight first does not print anything before the bad one is reported.
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--explain", "--explain", "W[0][1][1]"),
        "error: gradcheck: --explain W[0][1][1]: no such weight; " + range);
    Path weights = dir.resolve("small.json");
    Files.writeString(weights, "{\"layers\": [2, 1, 1], \"activations\": [\"sigmoid\", \"identity\"],"
        + " \"weights\": [[[0], [1], [1]], [[0], [1]]]}");
    assertOneLineError(CliRun.withoutSpark("gradcheck", "--weights", weights.toString(), "--explain", "W[3][1][1]"),
        "error: gradcheck: --explain W[3][1][1]: no such weight; 2-1-1 has W[1][0..2][1],"
            + " W[2][0..1][1] (from = 0 is the bias)");
  }

  private static void assertOneLineError(CliRun r, String expected) {
    assertEquals(2, r.code(), () -> "exit code for bad input; stderr: " + r.err());
    assertEquals(expected + System.lineSeparator(), r.err(), "stderr: one line");
    assertEquals("", r.out(), "stdout on bad input");
  }

  /**
   * --precision float: the float kernel against the double kernel on 40 rows of a 3-5-4-1 tanh
   * network. Tolerance 1e-4 of the largest entry (the option's default in float mode); the float
   * values must differ from the double ones somewhere, or the float kernel did not run.
   */
  @Test
  void floatPrecisionComparesTheFloatKernelWithTheDoubleOne() throws Exception {
    StringBuilder csv = new StringBuilder("a,b,c,y\n");
    java.util.Random rnd = new java.util.Random(5);
    for (int i = 0; i < 40; i++) {
      csv.append(rnd.nextGaussian()).append(',').append(rnd.nextGaussian()).append(',')
          .append(rnd.nextGaussian()).append(',').append(rnd.nextGaussian()).append('\n');
    }
    Path data = dir.resolve("rows.csv");
    Files.writeString(data, csv.toString());
    CliRun r = CliRun.withoutSpark("gradcheck", "--precision", "float", "--layers", "3,5,4,1", "--activation", "tanh",
        "--data", data.toString(), "--features", "a,b,c", "--label", "y");
    assertEquals(0, r.code(), () -> "exit; stderr: " + r.err() + "\nstdout:\n" + r.out());
    Map<String, double[]> table = table(r);
    assertEquals((3 + 1) * 5 + (5 + 1) * 4 + (4 + 1), table.size(), () -> "entries in:\n" + r.out());
    double scale = 0;
    for (double[] v : table.values()) {
      scale = Math.max(scale, Math.abs(v[1]));
    }
    boolean differs = false;
    for (Map.Entry<String, double[]> e : table.entrySet()) {
      double[] v = e.getValue();
      assertTrue(Math.abs(v[0] - v[1]) <= 1e-4 * scale, e.getKey() + ": float " + v[0]
          + ", double " + v[1]);
      differs |= v[0] != v[1];
    }
    assertTrue(differs, "the float column equals the double column everywhere:\n" + r.out());
    assertTrue(r.out().contains("max error") && r.out().contains("OK"), r.out());
  }

  @Test
  void withoutDataTheNetworkMustTakeTheTextbooksTwoInputs() {
    CliRun r = CliRun.withoutSpark("gradcheck", "--layers", "3,2,1", "--features", "a,b,c");
    assertEquals(2, r.code(), () -> "exit; stdout:\n" + r.out());
    assertTrue(r.err().contains("without --data") && r.err().strip().lines().count() == 1,
        r.err());
  }
}
