package io.sparkbackprop.cli;

import io.sparkbackprop.io.OutputTarget;
import io.sparkbackprop.nn.Network;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import io.sparkbackprop.optim.Iteration;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The loss curve {@code loss.png}, drawn with JFreeChart (headless: {@code java.awt.headless=true}
 * is set here before any AWT class loads). Left axis: the training objective J by iteration. Right
 * axis, when there is validation data: the validation RMSE and, for comparison in the same (label)
 * units, the training RMSE {@code labelScale * sqrt(J)} (for one output only: with several, J sums
 * the outputs' standardized errors, each of its own scale). An axis is logarithmic when its
 * positive values span more than a factor {@link #LOG_RANGE}.
 *
 * <p>When there is a validation RMSE, a second chart below the first (image {@link #WIDTH} x
 * {@link #HEIGHT_WITH_VALIDATION}, else {@link #WIDTH} x {@link #HEIGHT}): the held-out RMSE in
 * label units against the seconds of training, x = the sum of {@link Iteration#seconds()} of the
 * iterations before the one at whose starting weights the RMSE was measured (0 for the first), so a
 * user sees convergence in wall time. Its axis follows the same log rule.
 */
final class LossPlot {
  static final String FILE = OutputTarget.LOSS_PLOT_FILE;
  public static final int WIDTH = 900;
  public static final int HEIGHT = 560;
  /** Height of the second chart, held-out RMSE against seconds. */
  static final int SECONDS_HEIGHT = 420;
  /** Height of the image with validation: the loss chart above the RMSE-by-seconds chart. */
  public static final int HEIGHT_WITH_VALIDATION = HEIGHT + SECONDS_HEIGHT;
  /** max / min above which an axis is drawn on a log scale. */
  static final double LOG_RANGE = 30.0;

  private LossPlot() {}

  /**
   * @param history the iterations (not modified)
   * @param validation whether to draw the validation RMSE
   * @param labelScale the label's standardization scale (1 when the label is not standardized)
   * @param subtitle e.g. the input's name
   */
  public static void write(OutputStream out, Network net, List<Iteration> history,
      boolean validation, double labelScale, String subtitle) throws IOException {
    int[] iterations = new int[history.size()];
    double[] objective = new double[iterations.length];
    double[] validationRmse = validation ? new double[iterations.length] : null;
    for (int i = 0; i < iterations.length; i++) {
      iterations[i] = history.get(i).iteration();
      objective[i] = history.get(i).objective();
      if (validation) {
        validationRmse[i] = history.get(i).validationRmse();
      }
    }
    write(out, net, iterations, objective, validationRmse,
        validation ? rmseBySeconds(history) : null, labelScale, subtitle);
  }

  /**
   * The held-out RMSE against seconds of training: {x, y} where, for each iteration t with a
   * finite validation RMSE, x = seconds(1) + ... + seconds(t - 1) (the RMSE is measured at the
   * weights iteration t starts from) and y = its validation RMSE. Empty arrays when none.
   */
  static double[][] rmseBySeconds(List<Iteration> history) {
    double[] x = new double[history.size()];
    double[] y = new double[history.size()];
    int n = 0;
    double elapsed = 0;
    for (Iteration it : history) {
      if (Double.isFinite(it.validationRmse())) {
        x[n] = elapsed;
        y[n++] = it.validationRmse();
      }
      elapsed += it.seconds();
    }
    return new double[][] {Arrays.copyOf(x, n), Arrays.copyOf(y, n)};
  }

  /**
   * As above, from arrays (not modified); validationRmse null for none, NaN where not computed;
   * bySeconds from {@link #rmseBySeconds}, null or empty for no second chart.
   */
  static void write(OutputStream out, Network net, int[] iterations, double[] objective,
      double[] validationRmse, double[][] bySeconds, double labelScale, String subtitle)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    // In memory, not in a cache file in java.io.tmpdir: a write that fails half-way (a full disk)
    // must not leave ImageIO's clean-up thread to fail at exit.
    javax.imageio.ImageIO.setUseCache(false);
    XYSeries j = new XYSeries("training objective J (left axis)");
    for (int i = 0; i < iterations.length; i++) {
      j.add(iterations[i], objective[i]);
    }
    XYPlot plot = new XYPlot();
    plot.setDataset(0, new XYSeriesCollection(j));
    plot.setDomainAxis(integerAxis("iteration"));
    boolean one = net.outputWidth() == 1;
    String jLabel = (one ? "objective J = mean (y - yhat)^2"
        : "objective J = mean sum_k (y_k - yhat_k)^2") + (labelScale != 1.0 || !one
        ? ", standardized label" : "");
    plot.setRangeAxis(0, axis(jLabel, objective));
    plot.setRenderer(0, renderer(new Color(0x1f77b4), false));
    boolean validation = validationRmse != null && hasFinite(validationRmse);
    if (validation) {
      addRmse(plot, iterations, objective, validationRmse, labelScale, one);
    }
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    String title = "Training loss, network " + net + " (" + net.size() + " weights)";
    JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
    if (subtitle != null) {
      chart.addSubtitle(new org.jfree.chart.title.TextTitle(subtitle));
    }
    chart.setBackgroundPaint(Color.WHITE);
    if (!validation || bySeconds == null || bySeconds[0].length == 0) {
      ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
      return;
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT_WITH_VALIDATION,
        BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
    secondsChart(bySeconds).draw(g, new Rectangle2D.Double(0, HEIGHT, WIDTH, SECONDS_HEIGHT));
    g.dispose();
    ChartUtils.writeBufferedImageAsPNG(out, image);
  }

  /**
   * The right axis: validation RMSE where computed and, with one output, the training RMSE
   * (labelScale sqrt(J)), both in label units.
   */
  private static void addRmse(XYPlot plot, int[] iterations, double[] objective,
      double[] validationRmse, double labelScale, boolean one) {
    XYSeries v = new XYSeries("validation RMSE (right axis)");
    XYSeries t = new XYSeries("training RMSE (right axis)");
    double[] all = new double[2 * iterations.length];
    for (int i = 0; i < iterations.length; i++) {
      double rmse = one ? labelScale * Math.sqrt(objective[i]) : Double.NaN;
      if (one) {
        t.add(iterations[i], rmse);
      }
      all[2 * i] = rmse;
      all[2 * i + 1] = validationRmse[i];
      if (Double.isFinite(validationRmse[i])) {
        v.add(iterations[i], validationRmse[i]);
      }
    }
    XYSeriesCollection right = new XYSeriesCollection(v);
    if (one) {
      right.addSeries(t);
    }
    plot.setDataset(1, right);
    plot.setRangeAxis(1, axis("RMSE, label units", all));
    plot.mapDatasetToRangeAxis(1, 1);
    XYLineAndShapeRenderer r = renderer(new Color(0xd62728), false);
    r.setSeriesPaint(1, new Color(0xff7f0e));
    r.setSeriesStroke(1, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
        10f, new float[] {6f, 4f}, 0f));
    plot.setRenderer(1, r);
  }

  /** The second chart: held-out RMSE (label units) against cumulative seconds of training. */
  private static JFreeChart secondsChart(double[][] bySeconds) {
    XYSeries v = new XYSeries("validation RMSE");
    for (int i = 0; i < bySeconds[0].length; i++) {
      v.add(bySeconds[0][i], bySeconds[1][i]);
    }
    XYPlot plot = new XYPlot();
    plot.setDataset(new XYSeriesCollection(v));
    plot.setDomainAxis(new NumberAxis("seconds of training (sum over the earlier iterations)"));
    plot.setRangeAxis(axis("validation RMSE, label units", bySeconds[1]));
    // markers when few points: a single point draws no line
    plot.setRenderer(renderer(new Color(0xd62728), bySeconds[0].length <= 30));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    JFreeChart chart = new JFreeChart("Held-out RMSE against seconds of training",
        new Font("SansSerif", Font.BOLD, 14), plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static NumberAxis integerAxis(String label) {
    NumberAxis a = new NumberAxis(label);
    a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    a.setAutoRangeIncludesZero(false);
    return a;
  }

  /** A log axis when the positive finite values span more than LOG_RANGE, else linear. */
  static ValueAxis axis(String label, double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    boolean nonPositive = false;
    for (double v : values) {
      if (Double.isFinite(v)) {
        if (v <= 0) {
          nonPositive = true;
        } else {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (!nonPositive && max > 0 && max / min > LOG_RANGE) {
      // major ticks at whole decades 10^k (the range spans more than one), minor ticks between
      LogAxis a = new LogAxis(label + " (log scale)");
      a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      a.setSmallestValue(min / 2);
      return a;
    }
    NumberAxis a = new NumberAxis(label);
    a.setAutoRangeIncludesZero(false);
    return a;
  }

  private static XYLineAndShapeRenderer renderer(Color c, boolean shapes) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
    r.setSeriesPaint(0, c);
    r.setSeriesStroke(0, new BasicStroke(2f));
    return r;
  }

  private static boolean hasFinite(double[] v) {
    for (double x : v) {
      if (Double.isFinite(x)) {
        return true;
      }
    }
    return false;
  }
}
