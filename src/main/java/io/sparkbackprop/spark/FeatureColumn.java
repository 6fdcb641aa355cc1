package io.sparkbackprop.spark;

import io.sparkbackprop.errors.DataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A features column as the library reads it: an ML {@link Vector} (dense or sparse, as
 * {@code VectorAssembler} makes it) or an array of numbers ({@code array<double>},
 * {@code array<float>}, any numeric element type). One reader for training, scoring and
 * evaluation, so every path sees the same numbers.
 */
public final class FeatureColumn implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final boolean vector;

  private FeatureColumn(String name, boolean vector) {
    this.name = name;
    this.vector = vector;
  }

  /** Whether {@code t} is a type this class reads. */
  public static boolean accepts(DataType t) {
    return t instanceof VectorUDT
        || (t instanceof ArrayType a && a.elementType() instanceof NumericType);
  }

  /**
   * The column {@code name} of {@code schema}.
   *
   * @throws DataException when it is missing or of another type
   */
  public static FeatureColumn of(StructType schema, String name) {
    StructField f = field(schema, name, "features");
    if (!accepts(f.dataType())) {
      throw new DataException(DataException.Kind.WRONG_TYPE, "the features column '" + name
          + "' is " + f.dataType().simpleString() + "; it must be a Vector (as VectorAssembler"
          + " makes) or an array of numbers", "");
    }
    return new FeatureColumn(f.name(), f.dataType() instanceof VectorUDT);
  }

  /**
   * The label column {@code name} of a network of {@code outputs} outputs: null for a numeric
   * column (one output, read as a double), else a reader of its Vector or numeric-array values
   * (k per row).
   *
   * @throws DataException when it is missing, of another type, or numeric for k > 1
   */
  public static FeatureColumn label(StructType schema, String name, int outputs) {
    StructField f = field(schema, name, "label");
    if (f.dataType() instanceof NumericType && outputs == 1) {
      return null;
    }
    if (accepts(f.dataType())) {
      return new FeatureColumn(f.name(), f.dataType() instanceof VectorUDT);
    }
    if (outputs == 1) {
      throw Refusals.wrongType("label", name, f, "numeric (or a Vector or array)");
    }
    throw new DataException(DataException.Kind.WRONG_TYPE, "the label column '" + name + "' is "
        + f.dataType().simpleString() + "; a network of " + outputs + " outputs needs a Vector"
        + " or array label of " + outputs + " values", "");
  }

  /** The field {@code name} ({@link ColumnNames#field}), or a DataException listing the columns. */
  static StructField field(StructType schema, String name, String what) {
    return ColumnNames.field(schema, name, what);
  }

  /** The column's name as the schema spells it. */
  String name() {
    return name;
  }

  /**
   * The names of the vector's elements from the column's ML attributes (what VectorAssembler
   * records: its input columns), or null when it has none.
   */
  static List<String> attributeNames(StructType schema, String name) {
    StructField f = field(schema, name, "features");
    if (!(f.dataType() instanceof VectorUDT)) {
      return null;
    }
    AttributeGroup g = AttributeGroup.fromStructField(f);
    if (g.attributes().isEmpty()) {
      return null;
    }
    Attribute[] attrs = g.attributes().get();
    List<String> names = new ArrayList<>();
    for (Attribute a : attrs) {
      names.add(a.name().isDefined() ? a.name().get() : name + "[" + names.size() + "]");
    }
    return names;
  }

  /** The vector size the column's ML attributes declare, or -1. */
  public static int attributeSize(StructType schema, String name) {
    StructField f = field(schema, name, "features");
    return f.dataType() instanceof VectorUDT ? AttributeGroup.fromStructField(f).size() : -1;
  }

  /**
   * Reads field {@code i} of {@code r} into {@code out[0..len)} when its length equals
   * {@code out.length - extra}; null array elements are read as NaN.
   *
   * @param out Modified: the values, when the length fits
   * @return the row's length, or -1 when the value is null
   */
  int read(Row r, int i, double[] out, int extra) {
    if (r.isNullAt(i)) {
      return -1;
    }
    int want = out.length - extra;
    if (vector) {
      Vector v = (Vector) r.get(i);
      int n = v.size();
      if (n != want) {
        return n;
      }
      if (v instanceof DenseVector dv) {
        System.arraycopy(dv.values(), 0, out, 0, n);
      } else {
        SparseVector sv = (SparseVector) v;
        java.util.Arrays.fill(out, 0, n, 0.0);
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) {
          out[idx[k]] = val[k];
        }
      }
      return n;
    }
    scala.collection.Seq<?> s = r.getSeq(i);
    int n = s.length();
    if (n != want) {
      return n;
    }
    for (int j = 0; j < n; j++) {
      Object o = s.apply(j);
      out[j] = o == null ? Double.NaN : ((Number) o).doubleValue();
    }
    return n;
  }

  /** The first few values of field i of r, for messages. */
  String preview(Row r, int i) {
    if (r.isNullAt(i)) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("[");
    int n;
    if (vector) {
      Vector v = (Vector) r.get(i);
      n = v.size();
      for (int j = 0; j < Math.min(n, 5); j++) {
        sb.append(j == 0 ? "" : ", ").append(v.apply(j));
      }
    } else {
      scala.collection.Seq<?> s = r.getSeq(i);
      n = s.length();
      for (int j = 0; j < Math.min(n, 5); j++) {
        sb.append(j == 0 ? "" : ", ").append(s.apply(j));
      }
    }
    return sb.append(n > 5 ? ", ...]" : "]").toString();
  }
}
