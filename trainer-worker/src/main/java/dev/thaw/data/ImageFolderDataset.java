package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a user's image folder: one sub-folder per class, class names are the sub-folder names in
 * sorted order. Within a class, files ending in {@code .png}, {@code .jpg} or {@code .jpeg} (any
 * case) are read in name order; hidden files and folders and other files are ignored. Gray and
 * color images are accepted, alpha is dropped, and each image is resized (bilinear) and converted
 * to the requested channel count.
 */
public final class ImageFolderDataset {

  private static final Logger LOG = LoggerFactory.getLogger(ImageFolderDataset.class);
  private static final Comparator<Path> BY_NAME =
      Comparator.comparing(path -> path.getFileName().toString());

  private ImageFolderDataset() {}

  /**
   * Reads every image under {@code dir} as {@code channels x height x width}.
   *
   * @param channels 1 (gray) or 3 (RGB)
   * @throws DatasetException if the folder is missing or not a folder, has fewer than 2 class
   *     folders, a class folder has no images, or an image cannot be read
   */
  public static LabelledImages load(Path dir, int channels, int height, int width) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + height + "x" + width);
    }
    if (!Files.exists(dir)) {
      throw new DatasetException("dataset folder " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new DatasetException("dataset path " + dir + " is not a directory");
    }
    List<Path> classDirs = list(dir, path -> Files.isDirectory(path));
    if (classDirs.isEmpty()) {
      throw new DatasetException(
          "dataset " + dir + " has no class folders; it needs one sub-folder of images per class");
    }
    if (classDirs.size() == 1) {
      throw new DatasetException(
          "dataset "
              + dir
              + " has 1 class folder ("
              + name(classDirs.get(0))
              + "); at least 2 are needed");
    }
    int imageSize = channels * height * width;
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    List<Integer> labels = new ArrayList<>();
    List<String> classNames = new ArrayList<>();
    for (Path classDir : classDirs) {
      List<Path> files = list(classDir, ImageFolderDataset::isImageFile);
      if (files.isEmpty()) {
        throw new DatasetException("class folder " + classDir + " contains no PNG or JPEG images");
      }
      int label = classNames.size();
      classNames.add(name(classDir));
      for (Path file : files) {
        pixels.write(read(file).convert(channels, height, width), 0, imageSize);
        labels.add(label);
      }
    }
    LabelledImages images =
        new LabelledImages(
            channels,
            height,
            width,
            pixels.toByteArray(),
            labels.stream().mapToInt(Integer::intValue).toArray(),
            classNames);
    LOG.info("loaded {} images in {} classes from {}", images.size(), classNames.size(), dir);
    return images;
  }

  private static DecodedImage read(Path file) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new DatasetException("cannot read image " + file + ": " + reason(e), e);
    }
    if (image == null) {
      throw new DatasetException("cannot read image " + file + ": not a PNG or JPEG file");
    }
    return DecodedImage.of(image);
  }

  private static String reason(Throwable e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static List<Path> list(Path dir, Predicate<Path> filter) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(path -> !name(path).startsWith("."))
          .filter(filter)
          .sorted(BY_NAME)
          .toList();
    } catch (IOException e) {
      throw new DatasetException("cannot list folder " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean isImageFile(Path path) {
    String name = name(path).toLowerCase(Locale.ROOT);
    return Files.isRegularFile(path)
        && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }
}
