package io.sparkbackprop.nn;

import io.sparkbackprop.nn.blas.Blas;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Kernels} picks the narrow kernel by width and BLAS, and its overrides are honoured. */
class KernelsTest {
  private static Network net(int... widths) {
    return Network.of(widths, Activation.RELU, Activation.IDENTITY);
  }

  @Test
  void narrowUpToWidthEightAfterTheInputWithAJavaBlas() {
    int max = Kernels.narrowMaxWidth("VectorBLAS");
    assertEquals(8, max, "VectorBLAS");
    assertEquals(8, Kernels.narrowMaxWidth("Java11BLAS"), "Java11BLAS");
    assertTrue(Kernels.isNarrow(net(10, 8, 8, 1), max), "10-8-8-1");
    assertTrue(Kernels.isNarrow(net(10, 2, 2, 1), max), "10-2-2-1");
    assertTrue(Kernels.isNarrow(net(300, 8, 1), max), "a wide input does not count");
    assertFalse(Kernels.isNarrow(net(10, 9, 1), max), "10-9-1");
    assertFalse(Kernels.isNarrow(net(10, 16, 16, 1), max), "10-16-16-1");
    assertFalse(Kernels.isNarrow(net(10, 2, 9), max), "a 9-wide output");
  }

  @Test
  void narrowUpToWidthThreeWithANativeBlas() {
    int max = Kernels.narrowMaxWidth("JNIBLAS");
    assertEquals(3, max, "JNIBLAS");
    assertTrue(Kernels.isNarrow(net(10, 3, 3, 1), max), "10-3-3-1");
    assertFalse(Kernels.isNarrow(net(10, 4, 4, 1), max), "10-4-4-1");
  }

  @Test
  void autoFollowsThisJvmsBlas() {
    int max = Kernels.narrowMaxWidth(Blas.name());
    for (int width : new int[] {2, 3, 4, 8, 9, 16}) {
      Kernel k = Kernels.forNetwork(net(10, width, 1), 16, Kernels.Choice.AUTO);
      assertEquals(width <= max ? NarrowBackprop.class : BlockBackprop.class, k.getClass(),
          "10-" + width + "-1 with " + Blas.name());
    }
  }

  @Test
  void explicitChoicesOverrideTheWidth() {
    Network wide = net(10, 16, 1);
    Network narrow = net(10, 2, 1);
    assertTrue(Kernels.forNetwork(wide, 4, Kernels.Choice.NARROW) instanceof NarrowBackprop,
        "narrow for a wide network");
    assertTrue(Kernels.forNetwork(narrow, 4, Kernels.Choice.BLOCKED) instanceof BlockBackprop,
        "blocked for a narrow network");
  }

  @Test
  void choiceParsesItsNamesAndRefusesOthers() {
    assertEquals(Kernels.Choice.AUTO, Kernels.Choice.parse(" Auto "));
    assertEquals(Kernels.Choice.BLOCKED, Kernels.Choice.parse("blocked"));
    assertEquals(Kernels.Choice.NARROW, Kernels.Choice.parse("NARROW"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Kernels.Choice.parse("blas"));
    assertTrue(e.getMessage().contains("blas") && e.getMessage().contains("narrow"),
        "message names the value and the known kernels: " + e.getMessage());
  }
}
