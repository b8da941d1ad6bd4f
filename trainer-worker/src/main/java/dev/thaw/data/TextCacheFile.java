package dev.thaw.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The cache of a converted text dataset: gzip'd JSON Lines, a header line {@code {"source": ...,
 * "classes": [...], "count": N}}, then one {@code {"label": i, "source": ..., "text": ...}} per
 * text. Written under a temporary name and moved into place, so a reader sees no file or a whole
 * one; the count and gzip's CRC catch a truncated or corrupt file.
 */
final class TextCacheFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TextCacheFile() {}

  static void write(Path target, String source, LabelledTexts texts) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (BufferedWriter out =
          new BufferedWriter(
              new OutputStreamWriter(
                  new GZIPOutputStream(Files.newOutputStream(temp), 1 << 16),
                  StandardCharsets.UTF_8))) {
        ObjectNode header =
            JSON.createObjectNode().put("source", source).put("count", texts.size());
        texts.classNames().forEach(header.putArray("classes")::add);
        out.write(JSON.writeValueAsString(header));
        out.write('\n');
        for (int i = 0; i < texts.size(); i++) {
          ObjectNode line =
              JSON.createObjectNode()
                  .put("label", texts.labels()[i])
                  .put("source", texts.sources().get(i))
                  .put("text", texts.texts().get(i));
          out.write(JSON.writeValueAsString(line));
          out.write('\n');
        }
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * @throws IOException if the file is missing, for another source, truncated or corrupt
   */
  static LabelledTexts read(Path file, String expectedSource) throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                StandardCharsets.UTF_8))) {
      JsonNode header = JSON.readTree(in.readLine());
      if (header == null || !expectedSource.equals(header.path("source").asText())) {
        throw new IOException("holds " + header + ", expected " + expectedSource);
      }
      List<String> classes = new ArrayList<>();
      header.path("classes").forEach(c -> classes.add(c.asText()));
      int count = header.path("count").asInt(-1);
      List<String> texts = new ArrayList<>();
      List<String> sources = new ArrayList<>();
      int[] labels = new int[Math.max(0, count)];
      for (String line; (line = in.readLine()) != null; ) {
        if (texts.size() == labels.length) {
          throw new IOException("more texts than the " + count + " announced");
        }
        JsonNode n = JSON.readTree(line);
        labels[texts.size()] = n.path("label").asInt();
        sources.add(n.path("source").asText());
        texts.add(n.path("text").asText());
      }
      if (texts.size() != count) {
        throw new IOException(texts.size() + " texts, " + count + " announced");
      }
      return new LabelledTexts(texts, labels, classes, sources);
    }
  }
}
