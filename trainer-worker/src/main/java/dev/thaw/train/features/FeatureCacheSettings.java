package dev.thaw.train.features;

import dev.thaw.data.ThawPaths;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * How much a worker's feature cache may hold: in memory (host memory, outside the Java heap) and
 * spilled to disk. Each is read from a system property, else an environment variable, else its
 * default.
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>property</th><th>environment</th><th>default</th></tr>
 *   <tr><td>{@code thaw.feature-cache.memory-mb}</td><td>{@code THAW_FEATURE_CACHE_MEMORY_MB}</td>
 *       <td>1024; 0 turns the cache off (stages run uncached)</td></tr>
 *   <tr><td>{@code thaw.feature-cache.disk-mb}</td><td>{@code THAW_FEATURE_CACHE_DISK_MB}</td>
 *       <td>4096; 0: nothing is spilled</td></tr>
 *   <tr><td>{@code thaw.feature-cache.dir}</td><td>{@code THAW_FEATURE_CACHE_DIR}</td>
 *       <td>{@code $THAW_CACHE/features} ({@code ~/.cache/thaw/features})</td></tr>
 * </table>
 *
 * @param memoryBytes cap on the features held in memory; 0: no cache at all
 * @param diskBytes cap on the features spilled to disk; 0: none
 * @param dir where spilled features go
 */
public record FeatureCacheSettings(long memoryBytes, long diskBytes, Path dir) {
  /** System property of the memory cap in MiB. */
  public static final String MEMORY_PROPERTY = "thaw.feature-cache.memory-mb";

  /** Environment variable of the memory cap in MiB. */
  public static final String MEMORY_ENV = "THAW_FEATURE_CACHE_MEMORY_MB";

  /** System property of the disk cap in MiB. */
  public static final String DISK_PROPERTY = "thaw.feature-cache.disk-mb";

  /** Environment variable of the disk cap in MiB. */
  public static final String DISK_ENV = "THAW_FEATURE_CACHE_DISK_MB";

  /** System property of the spill folder. */
  public static final String DIR_PROPERTY = "thaw.feature-cache.dir";

  /** Environment variable of the spill folder. */
  public static final String DIR_ENV = "THAW_FEATURE_CACHE_DIR";

  static final long DEFAULT_MEMORY_MB = 1024;
  static final long DEFAULT_DISK_MB = 4096;
  private static final long MIB = 1024L * 1024;

  public FeatureCacheSettings {
    if (memoryBytes < 0 || diskBytes < 0) {
      throw new IllegalArgumentException(
          "feature cache caps must be >= 0 bytes (got memory "
              + memoryBytes
              + ", disk "
              + diskBytes
              + ")");
    }
  }

  /** No cache: every stage runs its frozen groups in every step. */
  public static FeatureCacheSettings off() {
    return new FeatureCacheSettings(0, 0, ThawPaths.cacheDir().resolve("features"));
  }

  /** The settings of this process: system properties, then the environment, then defaults. */
  public static FeatureCacheSettings fromEnvironment() {
    return from(System.getProperties(), System.getenv());
  }

  /**
   * The settings {@code properties} and {@code env} give.
   *
   * @throws IllegalArgumentException naming the setting and the bad value
   */
  public static FeatureCacheSettings from(Properties properties, Map<String, String> env) {
    long memory = mebibytes(properties, env, MEMORY_PROPERTY, MEMORY_ENV, DEFAULT_MEMORY_MB);
    long disk = mebibytes(properties, env, DISK_PROPERTY, DISK_ENV, DEFAULT_DISK_MB);
    String dir = value(properties, env, DIR_PROPERTY, DIR_ENV);
    return new FeatureCacheSettings(
        memory * MIB,
        disk * MIB,
        dir != null ? Path.of(dir) : ThawPaths.cacheDir().resolve("features"));
  }

  /** True when the cache is on (a memory cap above 0). */
  public boolean enabled() {
    return memoryBytes > 0;
  }

  private static long mebibytes(
      Properties properties, Map<String, String> env, String property, String var, long def) {
    String text = value(properties, env, property, var);
    if (text == null) {
      return def;
    }
    try {
      long mb = Long.parseLong(text);
      if (mb >= 0 && mb <= Long.MAX_VALUE / MIB) {
        return mb;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        property
            + " / "
            + var
            + ": must be a whole number of MiB >= 0, 0 for none (got '"
            + text
            + "')");
  }

  private static String value(
      Properties properties, Map<String, String> env, String property, String var) {
    String p = properties.getProperty(property);
    if (p != null && !p.isBlank()) {
      return p.strip();
    }
    String e = env.get(var);
    return e != null && !e.isBlank() ? e.strip() : null;
  }
}
