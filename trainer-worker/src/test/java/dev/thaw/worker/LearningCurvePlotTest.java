package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurvePlotTest {
  @TempDir Path tmp;

  private static long pixels(BufferedImage image, Color color) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void writesAReadablePngWithAllThreeCurves() throws IOException {
    List<LearningCurvePlot.Epoch> epochs =
        List.of(
            new LearningCurvePlot.Epoch(1, 2.1, 1.9, 0.40),
            new LearningCurvePlot.Epoch(2, 1.2, 1.3, 0.62),
            new LearningCurvePlot.Epoch(3, 0.8, 1.0, 0.71),
            new LearningCurvePlot.Epoch(4, 0.6, 0.95, 0.74));
    Path png = tmp.resolve("curves/learning-curve.png");
    LearningCurvePlot.write("fd=2 lr_head=3e-3", epochs, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(960, image.getWidth());
    assertEquals(400, image.getHeight());
    assertTrue(pixels(image, LearningCurvePlot.TRAIN) > 100, "train loss drawn");
    assertTrue(pixels(image, LearningCurvePlot.VAL) > 100, "val loss drawn");
    assertTrue(pixels(image, LearningCurvePlot.ACCURACY) > 100, "val accuracy drawn");
  }

  @Test
  void missingValuesAndASingleEpochDoNotBreakIt() {
    BufferedImage one =
        LearningCurvePlot.render(
            "t", List.of(new LearningCurvePlot.Epoch(1, 1.0, Double.NaN, 0.5)));
    assertTrue(pixels(one, LearningCurvePlot.TRAIN) > 0);
    assertTrue(pixels(one, LearningCurvePlot.VAL) < 60, "no val loss: only its legend line");
    BufferedImage none = LearningCurvePlot.render("t", List.of());
    assertEquals(960, none.getWidth());
  }

  @Test
  void lossAxisEndsAtARoundNumber() {
    assertEquals(2.0, LearningCurvePlot.niceCeiling(1.9));
    assertEquals(0.5, LearningCurvePlot.niceCeiling(0.31), 1e-12);
    assertEquals(10.0, LearningCurvePlot.niceCeiling(7.2));
    assertEquals(1.0, LearningCurvePlot.niceCeiling(0));
  }
}
