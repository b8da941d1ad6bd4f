package dev.thaw.worker;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Draws a trial's learning curves as a PNG: on the left train and validation loss per epoch, on the
 * right validation accuracy per epoch, each with axis labels, ticks and a legend. Java2D only;
 * works headless. Missing values (NaN) leave a gap.
 */
public final class LearningCurvePlot {
  /** Train loss colour (blue). */
  static final Color TRAIN = new Color(31, 119, 180);

  /** Validation loss colour (orange). */
  static final Color VAL = new Color(255, 127, 14);

  /** Validation accuracy colour (green). */
  static final Color ACCURACY = new Color(44, 160, 44);

  private static final int WIDTH = 960;
  private static final int HEIGHT = 400;
  private static final int PANEL = WIDTH / 2;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 55;

  /** ImageIO's PNG compression quality for deflate level 1 (quality q uses level 9 - 9q). */
  private static final float FAST_DEFLATE = 0.9f;

  /**
   * One epoch's numbers.
   *
   * @param epoch 1-based epoch
   * @param trainLoss mean training loss, NaN when unknown
   * @param valLoss validation loss, NaN when unknown
   * @param valAccuracy validation accuracy in [0, 1], NaN when unknown
   */
  public record Epoch(int epoch, double trainLoss, double valLoss, double valAccuracy) {}

  private LearningCurvePlot() {}

  /**
   * Writes the plot of {@code epochs} (in order) to {@code png}, titled {@code title}.
   *
   * @throws IOException when the file cannot be written
   */
  public static void write(String title, List<Epoch> epochs, Path png) throws IOException {
    BufferedImage image = render(title, epochs);
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    var writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) {
      throw new IOException("no PNG writer in this JVM (ImageIO) for " + png);
    }
    ImageWriter writer = writers.next();
    Files.deleteIfExists(png);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(png.toFile())) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      // The fastest deflate level: the plot is mostly flat colour, so the file stays small (26 KB
      // where the default level makes 20 KB) and encoding takes markedly less CPU.
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(FAST_DEFLATE);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  /** The plot as an image, {@value #WIDTH} x {@value #HEIGHT} pixels. */
  static BufferedImage render(String title, List<Epoch> epochs) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.setColor(Color.BLACK);
      centered(g, title == null ? "" : title, WIDTH / 2, 20);
      double maxLoss = max(epochs, Epoch::trainLoss, Epoch::valLoss);
      panel(
          g,
          0,
          "loss",
          epochs,
          0,
          niceCeiling(maxLoss),
          new Series("train loss", TRAIN, Epoch::trainLoss),
          new Series("val loss", VAL, Epoch::valLoss));
      panel(
          g,
          PANEL,
          "val accuracy",
          epochs,
          0,
          1,
          new Series("val accuracy", ACCURACY, Epoch::valAccuracy));
    } finally {
      g.dispose();
    }
    return image;
  }

  private record Series(String label, Color color, ToDoubleFunction<Epoch> value) {}

  private static void panel(
      Graphics2D g,
      int x0,
      String yLabel,
      List<Epoch> epochs,
      double yMin,
      double yMax,
      Series... series) {
    int left = x0 + LEFT;
    int right = x0 + PANEL - RIGHT;
    int top = TOP;
    int bottom = HEIGHT - BOTTOM;
    int maxEpoch = Math.max(1, epochs.stream().mapToInt(Epoch::epoch).max().orElse(1));
    int minEpoch = Math.min(maxEpoch, epochs.stream().mapToInt(Epoch::epoch).min().orElse(1));
    double xSpan = Math.max(1, maxEpoch - minEpoch);

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics fm = g.getFontMetrics();
    // Grid and y ticks.
    for (int i = 0; i <= 5; i++) {
      double v = yMin + (yMax - yMin) * i / 5;
      int y = bottom - (int) Math.round((bottom - top) * (double) i / 5);
      g.setColor(new Color(230, 230, 230));
      g.drawLine(left, y, right, y);
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, yMax <= 1 ? "%.2f" : "%.3g", v);
      g.drawString(label, left - 6 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
    }
    // x ticks: at most ~10 epochs labelled.
    int stride = Math.max(1, (int) Math.ceil((maxEpoch - minEpoch + 1) / 10.0));
    for (int e = minEpoch; e <= maxEpoch; e += stride) {
      int x = left + (int) Math.round((right - left) * (e - minEpoch) / xSpan);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(x, bottom, x, bottom + 4);
      centered(g, Integer.toString(e), x, bottom + 6 + fm.getAscent());
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, right - left, bottom - top);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    centered(g, "epoch", (left + right) / 2, HEIGHT - 12);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2, x0 + 16, (top + bottom) / 2.0);
    centered(g, yLabel, x0 + 16, (top + bottom) / 2 + 4);
    g.setTransform(saved);

    int legendY = top + 16;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(new BasicStroke(2f));
      Path2D.Double line = new Path2D.Double();
      boolean penDown = false;
      for (Epoch epoch : epochs) {
        double v = s.value().applyAsDouble(epoch);
        if (!Double.isFinite(v)) {
          penDown = false;
          continue;
        }
        double x = left + (right - left) * (epoch.epoch() - minEpoch) / xSpan;
        double clamped = Math.max(yMin, Math.min(yMax, v));
        double y = bottom - (bottom - top) * (clamped - yMin) / (yMax - yMin);
        if (penDown) {
          line.lineTo(x, y);
        } else {
          line.moveTo(x, y);
          penDown = true;
        }
        g.fillOval((int) Math.round(x) - 3, (int) Math.round(y) - 3, 7, 7);
      }
      g.draw(line);
      // Legend, top right of the panel.
      g.drawLine(right - 110, legendY - 4, right - 90, legendY - 4);
      g.setColor(Color.BLACK);
      g.drawString(s.label(), right - 84, legendY);
      legendY += 16;
    }
    g.setStroke(new BasicStroke(1f));
  }

  @SafeVarargs
  private static double max(List<Epoch> epochs, ToDoubleFunction<Epoch>... values) {
    double max = 0;
    for (Epoch e : epochs) {
      for (ToDoubleFunction<Epoch> f : values) {
        double v = f.applyAsDouble(e);
        if (Double.isFinite(v)) {
          max = Math.max(max, v);
        }
      }
    }
    return max;
  }

  /** 1, 2, 2.5 or 5 times a power of ten, at least {@code v}; 1 for nothing to show. */
  static double niceCeiling(double v) {
    if (!(v > 0)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= v) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static void centered(Graphics2D g, String text, int x, int baseline) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }
}
