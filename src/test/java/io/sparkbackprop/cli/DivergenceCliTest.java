package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose objective explodes but stays finite is a training failure, not a model. */
class DivergenceCliTest {
  private static final String DIABETES = Path.of("data/diabetes.parquet").toAbsolutePath().toString();

  @TempDir
  Path tmp;

  @Test
  void aFiniteExplosionExitsOneWithOneLineAndNoModel() {
    // gd with step 2 on diabetes (standardized): J went 1.59 -> 52.3 -> 1.64e6, all finite.
    Path model = tmp.resolve("m");
    CliRun r = CliRun.of("train", "--input", DIABETES, "--hidden", "8",
        "--optimizer", "gd", "--lr", "2", "--iterations", "30", "--model", model.toString());
    assertEquals(1, r.code(), "exit code; stderr: " + r.err());
    String line = r.err().strip();
    assertFalse(line.contains("\n"), "not one line: " + r.err());
    assertTrue(line.matches("error: training diverged at iteration 3: the objective went [0-9.]+"
        + " -> [0-9.]+ -> [0-9.e]+, more than 100 times its first value, with --lr 2.0; a smaller"
        + " --lr may help; no model was written"), line);
    assertFalse(Files.exists(model), "a model directory was left for a diverged run");
  }
}
