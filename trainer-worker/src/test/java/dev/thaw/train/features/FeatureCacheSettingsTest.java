package dev.thaw.train.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FeatureCacheSettingsTest {
  private static final long MIB = 1024L * 1024;

  @Test
  void defaultsThenEnvironmentThenProperties() {
    FeatureCacheSettings defaults = FeatureCacheSettings.from(new Properties(), Map.of());
    assertEquals(FeatureCacheSettings.DEFAULT_MEMORY_MB * MIB, defaults.memoryBytes());
    assertEquals(FeatureCacheSettings.DEFAULT_DISK_MB * MIB, defaults.diskBytes());
    assertTrue(defaults.dir().endsWith("features"));
    assertTrue(defaults.enabled());

    Map<String, String> env =
        Map.of(
            "THAW_FEATURE_CACHE_MEMORY_MB", "64",
            "THAW_FEATURE_CACHE_DISK_MB", "0",
            "THAW_FEATURE_CACHE_DIR", "/tmp/f");
    FeatureCacheSettings fromEnv = FeatureCacheSettings.from(new Properties(), env);
    assertEquals(new FeatureCacheSettings(64 * MIB, 0, Path.of("/tmp/f")), fromEnv);

    Properties props = new Properties();
    props.setProperty("thaw.feature-cache.memory-mb", "0");
    FeatureCacheSettings off = FeatureCacheSettings.from(props, env);
    assertFalse(off.enabled(), "the property wins over the environment");
    assertFalse(FeatureCache.open(off).enabled());
  }

  @Test
  void aBadValueNamesTheSettingAndTheValue() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FeatureCacheSettings.from(
                    new Properties(), Map.of("THAW_FEATURE_CACHE_DISK_MB", "2GB")));
    assertEquals(
        "thaw.feature-cache.disk-mb / THAW_FEATURE_CACHE_DISK_MB: must be a whole number of MiB"
            + " >= 0, 0 for none (got '2GB')",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            FeatureCacheSettings.from(
                new Properties(), Map.of("THAW_FEATURE_CACHE_MEMORY_MB", "-1")));
  }
}
