package io.sparkbackprop.ml;

import static io.sparkbackprop.ml.MlFixtures.assertSameDoubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.cli.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line is a layer over the API: {@code train} with some options and {@code fit} with
 * the Params they stand for give the same weights, bit for bit.
 */
class CliParityTest {
  @TempDir
  Path tmp;

  /** Runs {@code train --input diabetes --model DIR extra...}; returns the model it wrote. */
  private MultilayerPerceptronRegressionModel train(String name, String... extra) {
    String dir = tmp.resolve(name).toString();
    List<String> args = new ArrayList<>(List.of("train", "--input", MlFixtures.DIABETES,
        "--model", dir));
    args.addAll(List.of(extra));
    CliRun r = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, r.code(), "exit code of " + args + "; stderr: " + r.err());
    return MultilayerPerceptronRegressionModel.load(dir);
  }

  private static void assertSameModel(MultilayerPerceptronRegressionModel api,
      MultilayerPerceptronRegressionModel cli, String what) {
    assertArrayEquals(api.network().widths(), cli.network().widths(), what + ": widths");
    assertEquals(api.network(), cli.network(), what + ": network");
    assertSameDoubles(api.weights(), cli.weights(), what + ": weights");
    assertSameDoubles(api.summary().objectiveHistory(), cli.summary().objectiveHistory(),
        what + ": objective history");
    assertEquals(api.summary().trainingRows(), cli.summary().trainingRows(),
        what + ": training rows");
    assertEquals(api.summary().validationRows(), cli.summary().validationRows(),
        what + ": validation rows");
    assertEquals(List.of(MlFixtures.DIABETES_FEATURES), cli.featureNames(),
        what + ": the CLI's feature names");
  }

  @Test
  void gradientDescent() {
    MultilayerPerceptronRegressionModel cli = train("gd", "--hidden", "8", "--iterations", "20",
        "--lr", "0.05");
    MultilayerPerceptronRegressionModel api = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 8, 1}).setMaxIter(20).setStepSize(0.05)
        .fit(MlFixtures.diabetesAssembled());
    assertEquals(20, api.summary().totalIterations(), "iterations");
    assertSameModel(api, cli, "gd");
  }

  @Test
  void withAValidationFraction() {
    MultilayerPerceptronRegressionModel cli = train("val", "--hidden", "8", "--iterations", "15",
        "--lr", "0.05", "--validation-fraction", "0.2", "--split-seed", "11");
    MultilayerPerceptronRegressionModel api = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 8, 1}).setMaxIter(15).setStepSize(0.05)
        .setValidationFraction(0.2).setSplitSeed(11).fit(MlFixtures.diabetesAssembled());
    assertSameModel(api, cli, "validation fraction");
    assertSameDoubles(api.summary().validationHistory(), cli.summary().validationHistory(),
        "validation history");
  }

  @Test
  void lbfgs() {
    MultilayerPerceptronRegressionModel cli = train("lbfgs", "--hidden", "4,3", "--iterations",
        "15", "--optimizer", "l-bfgs", "--l2", "0.001", "--activation", "tanh");
    MultilayerPerceptronRegressionModel api = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 4, 3, 1}).setMaxIter(15).setSolver("l-bfgs").setRegParam(0.001)
        .setHiddenActivation("tanh").fit(MlFixtures.diabetesAssembled());
    assertSameModel(api, cli, "l-bfgs");
  }
}
