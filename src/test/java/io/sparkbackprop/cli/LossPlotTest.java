package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.optim.Iteration;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** loss.png: the held-out RMSE by seconds series, and the image size with and without it. */
class LossPlotTest {
  private static final Network NET = Network.of(new int[] {3, 4, 1}, Activation.TANH,
      Activation.IDENTITY);
  private static final double NAN = Double.NaN;

  /** Four iterations of 0.5, 1.25, 2 and 0.75 s; validation RMSE 10, none, 8, 7. */
  private static List<Iteration> history(boolean validation) {
    double[] seconds = {0.5, 1.25, 2.0, 0.75};
    double[] rmse = {10, NAN, 8, 7};
    double[] j = {4, 3, 2.5, 2};
    Iteration[] h = new Iteration[4];
    for (int i = 0; i < 4; i++) {
      h[i] = new Iteration(i + 1, j[i], 1.0, seconds[i], validation ? rmse[i] : NAN);
    }
    return List.of(h);
  }

  @Test
  void rmseBySecondsSumsTheSecondsOfTheIterationsBefore() {
    // Measured at the weights iterations 1, 3 and 4 start from (2 has no RMSE but its seconds
    // count): x = 0, 0.5 + 1.25 = 1.75, 1.75 + 2 = 3.75; y = 10, 8, 7.
    double[][] p = LossPlot.rmseBySeconds(history(true));
    assertArrayEquals(new double[] {0, 1.75, 3.75}, p[0], 1e-15, "seconds");
    assertArrayEquals(new double[] {10, 8, 7}, p[1], 0, "RMSE");
    double[][] none = LossPlot.rmseBySeconds(history(false));
    assertEquals(0, none[0].length, "points without validation");
    assertEquals(0, none[1].length, "points without validation");
  }

  @Test
  void theSecondChartMakesTheImageTallerOnlyWithValidation() throws IOException {
    BufferedImage with = draw(history(true), true);
    assertEquals(LossPlot.WIDTH, with.getWidth(), "width with validation");
    assertEquals(LossPlot.HEIGHT_WITH_VALIDATION, with.getHeight(), "height with validation");
    assertTrue(LossPlot.HEIGHT_WITH_VALIDATION > LossPlot.HEIGHT, "not taller");
    // something is drawn in the lower part: the chart's curve, axes and text
    int dark = 0;
    for (int y = LossPlot.HEIGHT; y < with.getHeight(); y++) {
      for (int x = 0; x < with.getWidth(); x++) {
        dark += (with.getRGB(x, y) & 0xff) < 128 ? 1 : 0;
      }
    }
    assertTrue(dark > 500, "the lower chart looks blank: " + dark + " dark pixels");
    for (boolean flag : new boolean[] {true, false}) {
      // no validation RMSE in the history (flag true: asked for, none computed): the old size
      BufferedImage without = draw(history(false), flag);
      assertEquals(LossPlot.WIDTH, without.getWidth(), "width without validation, flag " + flag);
      assertEquals(LossPlot.HEIGHT, without.getHeight(), "height without validation, flag " + flag);
    }
  }

  private static BufferedImage draw(List<Iteration> history, boolean validation)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LossPlot.write(out, NET, history, validation, 2.0, "test");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
    assertTrue(img != null, "not an image ImageIO reads");
    return img;
  }
}
