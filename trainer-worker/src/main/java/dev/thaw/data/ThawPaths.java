package dev.thaw.data;

import java.nio.file.Path;

/** Where Thaw keeps files that outlive a run. */
public final class ThawPaths {

  /** Environment variable that overrides the cache directory. */
  public static final String CACHE_ENV = "THAW_CACHE";

  private ThawPaths() {}

  /** The cache directory: {@code $THAW_CACHE} if set and not blank, else {@code ~/.cache/thaw}. */
  public static Path cacheDir() {
    String fromEnv = System.getenv(CACHE_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv.strip());
    }
    return Path.of(System.getProperty("user.home"), ".cache", "thaw");
  }
}
