package io.sparkbackprop.nn.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sparkbackprop.nn.blas.BlasChoice.Use;
import io.sparkbackprop.nn.blas.BlasLibrary.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule of {@link BlasRule#choose} on fabricated machines, and the naming rule of {@link BlasLibrary#kindOf}. */
class BlasRuleTest {
  static BlasLibrary lib(String path, Kind kind) {
    return new BlasLibrary(Path.of(path), Path.of(path + ".real"), kind);
  }

  static final BlasLibrary REF = lib("/l/libblas.so.3", Kind.REFERENCE);
  static final BlasLibrary OPEN = lib("/l/libopenblas.so.0", Kind.OPENBLAS);
  static final BlasLibrary OPEN_FRONT = lib("/l/openblas-pthread/libblas.so.3", Kind.OPENBLAS);
  static final BlasLibrary MKL = lib("/opt/libmkl_rt.so.2", Kind.MKL);
  static final BlasLibrary BLIS = lib("/l/libblis.so.4", Kind.BLIS);

  static BlasChoice auto(BlasLibrary def, BlasLibrary... found) {
    return BlasRule.choose(new BlasRule.Inputs(null, null, true, true, "libblas.so.3", def,
        List.of(found)));
  }

  static BlasChoice override(String value, BlasLibrary named) {
    return BlasRule.choose(new BlasRule.Inputs(value, named, true, true, "libblas.so.3", REF,
        List.of(REF, OPEN)));
  }

  @Test
  void anOptimizedLibblasIsLoadedAsItIs() {
    BlasChoice c = auto(OPEN_FRONT, OPEN_FRONT, OPEN, MKL);
    assertEquals(Use.NATIVE, c.use());
    assertSame(OPEN_FRONT, c.library());
    assertEquals("libblas.so.3 is OpenBLAS", c.reason());
    // step 1 comes first: an MKL libblas.so.3 is kept even with OpenBLAS beside it
    BlasChoice m = auto(MKL, OPEN);
    assertSame(MKL, m.library());
    assertEquals("libblas.so.3 is MKL", m.reason());
  }

  @Test
  void theReferenceLibblasGivesWayToAnOptimizedLibrary() {
    BlasChoice c = auto(REF, REF, OPEN);
    assertEquals(Use.NATIVE, c.use());
    assertSame(OPEN, c.library());
    assertEquals("libblas.so.3 is the reference BLAS", c.reason());
    assertEquals("JNIBLAS (OpenBLAS, /l/libopenblas.so.0.real; libblas.so.3 is the reference BLAS)",
        c.describe("JNIBLAS"));
  }

  @Test
  void openBlasBeforeMklBeforeBlisWhateverTheSearchOrder() {
    assertSame(OPEN, auto(REF, BLIS, MKL, REF, OPEN).library());
    assertSame(MKL, auto(REF, BLIS, MKL).library());
    assertSame(BLIS, auto(null, REF, BLIS).library());
    BlasLibrary second = lib("/usr/lib/libopenblas.so.0", Kind.OPENBLAS);
    assertSame(OPEN, auto(REF, OPEN, second).library(), "same kind: the search order decides");
  }

  @Test
  void neverTheReference() {
    BlasChoice c = auto(REF, REF, lib("/l/libc.so.6", Kind.NOT_BLAS));
    assertEquals(Use.JAVA, c.use());
    assertEquals("libblas.so.3 is the reference BLAS; no OpenBLAS, MKL or BLIS found", c.reason());
    assertEquals("VectorBLAS (libblas.so.3 is the reference BLAS; no OpenBLAS, MKL or BLIS found)",
        c.describe("VectorBLAS"));
    BlasChoice none = auto(null);
    assertEquals(Use.JAVA, none.use());
    assertEquals("no libblas.so.3; no OpenBLAS, MKL or BLIS found", none.reason());
    BlasChoice other = BlasRule.choose(new BlasRule.Inputs(null, null, true, true,
        "libfoo.so", null, List.of(OPEN)));
    assertSame(OPEN, other.library());
    assertEquals("no libfoo.so", other.reason());
  }

  @Test
  void overrides() {
    BlasChoice java = override("java", null);
    assertEquals(Use.JAVA, java.use());
    assertEquals("sparkbackprop.blas=java", java.reason());
    BlasChoice nat = override(" Native ", null);
    assertEquals(Use.NETLIB_DEFAULT, nat.use());
    assertSame(REF, nat.library(), "native: netlib's own choice, even the reference");
    BlasChoice path = override("/x/libblas.so.3", REF);
    assertEquals(Use.NATIVE, path.use());
    assertSame(REF, path.library(), "a path is loaded whatever it is");
    assertEquals("sparkbackprop.blas=/x/libblas.so.3", path.reason());
    BlasChoice bad = override("nativ", lib("nativ", Kind.NOT_BLAS));
    assertEquals(Use.JAVA, bad.use());
    assertEquals("sparkbackprop.blas=nativ is no BLAS library (want auto, java, native or a path)",
        bad.reason());
    assertSame(OPEN, override("auto", null).library());
  }

  @Test
  void netlibsAllowNativeFalseAndOtherSystemsAreRespected() {
    BlasChoice off = BlasRule.choose(new BlasRule.Inputs(null, null, true, false, "libblas.so.3",
        OPEN, List.of(OPEN)));
    assertEquals(Use.JAVA, off.use());
    assertEquals("dev.ludovic.netlib.blas.allowNative=false", off.reason());
    BlasChoice mac = BlasRule.choose(new BlasRule.Inputs(null, null, false, true, "libblas.so.3",
        null, List.of()));
    assertEquals(Use.NETLIB_DEFAULT, mac.use());
    assertNull(mac.library());
    assertEquals("JNIBLAS (not Linux: netlib's own choice)", mac.describe("JNIBLAS"));
  }

  static BlasLibrary.DynamicNames names(Set<String> imported, Set<String> defined, Set<String> needed) {
    Set<String> all = new java.util.HashSet<>(imported);
    all.addAll(defined);
    return new BlasLibrary.DynamicNames(all, defined, needed);
  }

  @Test
  void kindsByDynamicNames() {
    Set<String> none = Set.of();
    assertEquals(Kind.REFERENCE, BlasLibrary.kindOf(names(Set.of("xerbla_"), Set.of("dgemm_", "lsame_"),
        Set.of("libc.so.6"))));
    assertEquals(Kind.OPENBLAS, BlasLibrary.kindOf(names(none, Set.of("dgemm_", "openblas_get_config"),
        none)));
    assertEquals(Kind.OPENBLAS, BlasLibrary.kindOf(names(Set.of("gotoblas"), Set.of("dgemm_"),
        Set.of("libopenblas.so.0"))), "Debian's OpenBLAS front end");
    assertEquals(Kind.OPENBLAS, BlasLibrary.kindOf(names(none, Set.of("dgemm_"),
        Set.of("libopenblas.so.0"))));
    assertEquals(Kind.MKL, BlasLibrary.kindOf(names(none, Set.of("dgemm_", "mkl_get_version"), none)));
    assertEquals(Kind.MKL, BlasLibrary.kindOf(names(none, Set.of("dgemm_", "MKL_Get_Version"), none)));
    assertEquals(Kind.MKL, BlasLibrary.kindOf(names(none, Set.of("dgemm_"), Set.of("libmkl_rt.so.2"))));
    assertEquals(Kind.BLIS, BlasLibrary.kindOf(names(none, Set.of("dgemm_", "bli_info_get_version_str"),
        none)));
    assertEquals(Kind.BLIS, BlasLibrary.kindOf(names(Set.of("bli_dgemm"), Set.of("dgemm_"),
        Set.of("libblis.so.4"))), "Debian's BLIS front end");
    assertEquals(Kind.NOT_BLAS, BlasLibrary.kindOf(names(Set.of("dgemm_"), Set.of("openblas_get_config"),
        none)), "a program that only imports dgemm_ is no BLAS");
  }
}
