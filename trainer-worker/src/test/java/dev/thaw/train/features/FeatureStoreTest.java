package dev.thaw.train.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory cap with LRU eviction, spill to disk and reload, the disk cap, copies in and out. */
class FeatureStoreTest {
  /** One entry: 1,000 floats, 4,000 bytes. */
  private static final long ENTRY = 4000;

  @TempDir Path dir;
  NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static FeatureKey key(int i) {
    return new FeatureKey("prefix", 1, "data-" + i, "1x10x10", FeatureKey.Part.TRAIN);
  }

  private NDArray features(int i) {
    return manager.arange(1000f).add(i).reshape(new Shape(10, 100));
  }

  private FeatureStore store(long memoryEntries, long diskEntries) {
    // A spill file is an entry and a short header.
    return new FeatureStore(
        new FeatureCacheSettings(memoryEntries * ENTRY, diskEntries * (ENTRY + 500), dir));
  }

  private long spillFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(FeatureStore.SUFFIX)).count();
    }
  }

  @Test
  void theLeastRecentlyUsedEntryLeavesMemoryFirstAndComesBackFromDisk() throws IOException {
    try (FeatureStore store = store(2, 10)) {
      store.put(key(1), features(1));
      store.put(key(2), features(2));
      assertNotNull(store.get(key(1), manager)); // 1 is now the most recently used
      store.put(key(3), features(3));

      assertEquals(2, store.memoryEntries());
      assertEquals(2 * ENTRY, store.memoryBytes(), "memory held at its cap");
      assertEquals(1, store.evictions());
      assertEquals(1, store.spills(), "2 went to disk");
      assertEquals(1, spillFiles());
      assertTrue(store.contains(key(2)), "on disk");

      NDArray back = store.get(key(2), manager);
      assertArrayEquals(features(2).toFloatArray(), back.toFloatArray(), "read back intact");
      assertEquals(new Shape(10, 100), back.getShape());
      assertEquals(1, store.reloads());
      assertEquals(2, store.memoryEntries(), "reloading evicted another entry");
      assertTrue(store.contains(key(1)) && store.contains(key(3)), "the evicted one spilled");
    }
  }

  @Test
  void labelsNameTheEntriesStillHeldMostRecentFirst() {
    try (FeatureStore store = store(1, 1)) {
      store.put(key(1), features(1), "t@1");
      store.put(key(2), features(2), "t@2");
      assertEquals(java.util.List.of("t@2", "t@1"), store.heldLabels(), "1 spilled, still held");
      store.put(key(3), features(3), "t@3");
      // 2 spilled in turn and the disk holds one file: 1's was deleted.
      assertEquals(java.util.List.of("t@3", "t@2"), store.heldLabels());
      store.get(key(2), manager);
      assertEquals(java.util.List.of("t@2", "t@3"), store.heldLabels());
    }
  }

  @Test
  void aSecondStoreOnTheSameFolderReadsWhatTheFirstSpilled() {
    try (FeatureStore first = store(1, 10)) {
      first.put(key(1), features(1));
      first.put(key(2), features(2));
    }
    try (FeatureStore second = store(1, 10)) {
      assertArrayEquals(features(1).toFloatArray(), second.get(key(1), manager).toFloatArray());
      assertNull(second.get(key(2), manager), "2 was in memory only when the first closed");
    }
  }

  @Test
  void theDiskCapDeletesTheLeastRecentlyUsedFiles() throws IOException {
    try (FeatureStore store = store(1, 2)) {
      for (int i = 1; i <= 5; i++) {
        store.put(key(i), features(i));
      }
      // 1..4 were spilled in turn; only the two most recent files fit.
      assertEquals(2, spillFiles());
      assertTrue(store.diskBytes() <= 2 * (ENTRY + 500), "disk bytes " + store.diskBytes());
      assertFalse(store.contains(key(1)));
      assertFalse(store.contains(key(2)));
      assertTrue(store.contains(key(3)) && store.contains(key(4)) && store.contains(key(5)));
    }
  }

  @Test
  void withoutDiskEvictedEntriesAreGoneAndTooLargeOnesAreNotKept() throws IOException {
    try (FeatureStore store = store(1, 0)) {
      store.put(key(1), features(1));
      store.put(key(2), features(2));
      assertFalse(store.contains(key(1)));
      assertEquals(0, spillFiles());
      store.put(key(3), manager.zeros(new Shape(2000)));
      assertFalse(store.contains(key(3)), "8,000 bytes exceed the 4,000-byte cap");
      assertTrue(store.contains(key(2)), "and evicted nothing");
    }
  }

  @Test
  void entriesAreCopiesOnBothSides() {
    try (FeatureStore store = store(2, 0)) {
      NDArray mine = features(1);
      store.put(key(1), mine);
      mine.close();
      NDArray got = store.get(key(1), manager);
      got.muli(0);
      assertArrayEquals(features(1).toFloatArray(), store.get(key(1), manager).toFloatArray());
    }
  }
}
