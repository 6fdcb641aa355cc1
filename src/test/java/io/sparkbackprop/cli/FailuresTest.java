package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.errors.DataException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The library's messages name Params; the command line gives them its options' names, but
 * never renames a column that happens to be called like a Param.
 */
class FailuresTest {
  private static final Map<String, String> OPTIONS = Map.of("seed", "--seed", "stepSize", "--lr");

  @Test
  void paramNamesBecomeOptionsButQuotedNamesStay() {
    assertEquals("--lr must be > 0 (column 'seed' as it was)", Failures.rename(
        "stepSize must be > 0 (column 'seed' as it was)", OPTIONS));
  }

  @Test
  void aDataFactKeepsItsColumnNames() {
    // A feature column named like the seed Param: the fact's "seed = NaN" is the column's value.
    DataException d = new DataException(DataException.Kind.INVALID_VALUES,
        "1 row has a null, NaN or infinite value (seed: 1); the first is row 3, seed = NaN", null);
    Failures.Report r = Failures.of(d, "train", "t.parquet", null, OPTIONS);
    assertEquals("t.parquet: 1 row has a null, NaN or infinite value (seed: 1); the first is row"
        + " 3, seed = NaN; use --drop-invalid to skip those rows", r.line());
    assertEquals(2, r.exitCode());
  }
}
