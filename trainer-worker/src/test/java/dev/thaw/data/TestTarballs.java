package dev.thaw.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Writes small stand-ins for the npm package tarballs. */
final class TestTarballs {

  private TestTarballs() {}

  /** Writes a .tgz holding {@code entries} (name to text), in the map's iteration order. */
  static Path write(Path file, Map<String, String> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        byte[] bytes = entry.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry tarEntry = new TarArchiveEntry(entry.getKey());
        tarEntry.setSize(bytes.length);
        tar.putArchiveEntry(tarEntry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  /** {@code count} copies of {@code value}, comma-separated: the inside of a JSON array. */
  static String values(String value, int count) {
    return String.join(",", Collections.nCopies(count, value));
  }
}
