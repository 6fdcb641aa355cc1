package io.sparkbackprop.spark;

import io.sparkbackprop.errors.DataException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Quoting, resolution and messages of column names (Spark's default: case-insensitive). */
class ColumnNamesTest {
  private static StructType schema(String... names) {
    StructType s = new StructType();
    for (String n : names) {
      s = s.add(n, DataTypes.DoubleType);
    }
    return s;
  }

  @Test
  void quoteDoublesBackticks() {
    assertEquals("`a.b`", ColumnNames.quote("a.b"));
    assertEquals("`a``b`", ColumnNames.quote("a`b"));
    assertEquals("````", ColumnNames.quote("`"));
    assertEquals("`größe c`", ColumnNames.quote("größe c"));
  }

  @Test
  void quotedNamesAreReadBySparksOwnParserAsOneName() {
    // Spark's parser of attribute names is the oracle: the quoted form is one part, the name.
    for (String n : List.of("a.b", "a`b", "`x`", "c d", "g'h\"", "größe", "a..b", "")) {
      scala.collection.Seq<String> parts = org.apache.spark.sql.catalyst.parser
          .CatalystSqlParser$.MODULE$.parseMultipartIdentifier(ColumnNames.quote(n));
      assertEquals(1, parts.size(), n);
      assertEquals(n, parts.apply(0), n);
    }
  }

  @Test
  void resolveIsExactThenBacktickedThenIgnoringCase() {
    StructType s = schema("a.b", "Label", "`q`", "x");
    assertEquals("a.b", ColumnNames.resolve(s, "a.b", "feature"));
    assertEquals("a.b", ColumnNames.resolve(s, "`a.b`", "feature"));
    assertEquals("`q`", ColumnNames.resolve(s, "`q`", "feature"), "a name in backticks itself");
    assertEquals("Label", ColumnNames.resolve(s, "label", "label"));
    assertEquals("a.b", ColumnNames.resolve(s, "`A.B`", "feature"));
    assertNull(ColumnNames.find(s, "a"));
    assertNull(ColumnNames.find(s, "b"));
  }

  @Test
  void aMissingNameListsTheColumnsAndTheCloseOnes() {
    DataException e = assertThrows(DataException.class,
        () -> ColumnNames.field(schema("a.b", "c d", "progress", "x"), "progres", "label"));
    assertEquals(DataException.Kind.NO_COLUMN, e.kind());
    assertEquals("no label column 'progres' (columns: 'a.b', 'c d', progress, x); did you mean"
        + " 'progress'?", e.getMessage());
    assertEquals("no feature column 'a_b', 'cd' (columns: 'a.b', 'c d'); did you mean 'a.b' or"
        + " 'c d'?", ColumnNames.missing("feature", List.of("a_b", "cd"), List.of("a.b", "c d")));
    assertEquals("no feature column 'zz' (columns: x)",
        ColumnNames.missing("feature", List.of("zz"), List.of("x")));
  }

  @Test
  void columnsThatDifferOnlyInCaseAreAClash() {
    assertArrayEquals(new String[] {"F1", "f1"}, ColumnNames.caseClash(List.of("x", "F1", "f1"),
        null));
    assertNull(ColumnNames.caseClash(List.of("x", "F1", "f2"), null));
    assertNull(ColumnNames.caseClash(List.of("x", "F1", "f1"), "x"));
    DataException e = assertThrows(DataException.class,
        () -> ColumnNames.field(schema("F1", "f1"), "f1", "feature"));
    assertEquals("columns 'F1' and 'f1' differ only in case, which Spark does not tell apart"
        + " (spark.sql.caseSensitive is false): rename one of them", e.getMessage());
  }

  @Test
  void aFreeNameIsFreeIgnoringCase() {
    assertEquals("features", ColumnNames.free(List.of("a", "b"), "features"));
    assertEquals("features_1", ColumnNames.free(List.of("Features"), "features"));
    assertEquals("features_2", ColumnNames.free(List.of("features", "FEATURES_1"), "features"));
    assertTrue(ColumnNames.taken(List.of("Prediction"), "prediction"));
    assertFalse(ColumnNames.taken(List.of("prediction.x"), "prediction"));
  }
}
