package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Kernels} picks the narrow kernel by width, and its overrides are honoured. */
class KernelsTest {
  private static Class<?> auto(int... widths) {
    return Kernels.forNetwork(Network.of(widths, Activation.RELU, Activation.IDENTITY), 16,
        Kernels.Choice.AUTO).getClass();
  }

  @Test
  void autoChoosesNarrowUpToWidthEightAfterTheInput() {
    assertEquals(NarrowBackprop.class, auto(10, 8, 8, 1), "10-8-8-1");
    assertEquals(NarrowBackprop.class, auto(10, 2, 2, 1), "10-2-2-1");
    assertEquals(NarrowBackprop.class, auto(300, 8, 1), "a wide input does not count");
    assertEquals(BlockBackprop.class, auto(10, 9, 1), "10-9-1");
    assertEquals(BlockBackprop.class, auto(10, 16, 16, 1), "10-16-16-1");
    assertEquals(BlockBackprop.class, auto(10, 2, 9), "a 9-wide output");
  }

  @Test
  void explicitChoicesOverrideTheWidth() {
    Network wide = Network.of(new int[] {10, 16, 1}, Activation.RELU, Activation.IDENTITY);
    Network narrow = Network.of(new int[] {10, 2, 1}, Activation.RELU, Activation.IDENTITY);
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
