package dev.thaw.train.features;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cached features by key: in host memory up to a cap, least recently used first out; what leaves
 * memory is spilled to disk (DJL's {@link NDList#encode} format, one file per key) up to a cap of
 * its own, least recently used file first out. A key found only on disk is read back into memory.
 *
 * <p>Entries are copies: {@link #put} copies the caller's array and {@link #get} hands out a new
 * copy, so nothing the store evicts can be in use, and nothing a trial closes is lost. Files are
 * written under a temporary name and moved into place, so several workers on one host can share the
 * folder; a file that disappears or cannot be read is a miss. Thread-safe.
 */
public final class FeatureStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureStore.class);
  static final String SUFFIX = ".ndlist";

  private final FeatureCacheSettings settings;
  private final NDManager manager;
  private final LinkedHashMap<FeatureKey, NDArray> memory = new LinkedHashMap<>(16, 0.75f, true);
  private final LinkedHashMap<FeatureKey, String> labels = new LinkedHashMap<>(16, 0.75f, true);
  // What heldLabels() answers, recomputed under the lock after every change: a heartbeat thread
  // reads it without waiting for a put or a spill in progress.
  private volatile List<String> labelSnapshot = List.of();
  private long memoryBytes;
  private long spills;
  private long reloads;
  private long evictions;

  /** An empty store with these caps; its memory is on the CPU. */
  public FeatureStore(FeatureCacheSettings settings) {
    this.settings = settings;
    this.manager = NDManager.newBaseManager(Device.cpu());
  }

  /** The caps and spill folder. */
  public FeatureCacheSettings settings() {
    return settings;
  }

  /**
   * A copy of the features under {@code key} in {@code into} (on its device), from memory or else
   * from disk; null when neither holds them.
   */
  public synchronized NDArray get(FeatureKey key, NDManager into) {
    NDArray held = memory.get(key);
    labels.get(key); // the label too is now the most recently used
    if (held != null) {
      refreshHeld();
      return copy(held, into);
    }
    held = readSpilled(key);
    if (held == null) {
      return null;
    }
    reloads++;
    NDArray copy = copy(held, into);
    keep(key, held);
    refreshHeld();
    return copy;
  }

  /** True when memory or disk holds {@code key}, without reading it. */
  public synchronized boolean contains(FeatureKey key) {
    return memory.containsKey(key) || Files.isRegularFile(file(key));
  }

  /**
   * Keeps a copy of {@code features} under {@code key}; features larger than the memory cap go
   * straight to disk (if they fit there).
   */
  public synchronized void put(FeatureKey key, NDArray features) {
    put(key, features, null);
  }

  /**
   * Keeps a copy of {@code features} under {@code key}, named {@code label} in {@link
   * #heldLabels()} (e.g. a dispatch hint such as {@code TASK@DEPTH}; null: none).
   */
  public synchronized void put(FeatureKey key, NDArray features, String label) {
    if (label != null) {
      labels.put(key, label);
    }
    if (!memory.containsKey(key)) {
      keep(key, copy(features, manager));
    }
    refreshHeld();
  }

  /** Names a held entry as {@link #put} with a label does; nothing when {@code key} is not held. */
  public synchronized void label(FeatureKey key, String label) {
    if (contains(key)) {
      labels.put(key, label);
    }
    refreshHeld();
  }

  /**
   * The labels given to {@link #put} of the entries still held in memory or spilled by this store,
   * each once, the most recently stored or used first. Never waits for the store's lock: it answers
   * as of the last change (a spill file another worker's store deleted since shows until then).
   */
  public List<String> heldLabels() {
    return labelSnapshot;
  }

  private void refreshHeld() {
    labels.keySet().removeIf(key -> !contains(key));
    List<FeatureKey> recentFirst = new ArrayList<>(labels.keySet());
    java.util.Collections.reverse(recentFirst);
    labelSnapshot = recentFirst.stream().map(labels::get).distinct().toList();
  }

  /** Bytes held in memory. */
  public synchronized long memoryBytes() {
    return memoryBytes;
  }

  /** Entries held in memory. */
  public synchronized int memoryEntries() {
    return memory.size();
  }

  /** Bytes of the spill files in the folder (other workers' included). */
  public synchronized long diskBytes() {
    return spillFiles().stream().mapToLong(SpillFile::size).sum();
  }

  /** How many entries were written to disk as they left memory. */
  public synchronized long spills() {
    return spills;
  }

  /** How many entries were read back from disk. */
  public synchronized long reloads() {
    return reloads;
  }

  /** How many entries left memory (spilled or dropped). */
  public synchronized long evictions() {
    return evictions;
  }

  /** Frees the memory; spilled files stay for the next worker. */
  @Override
  public synchronized void close() {
    memory.clear();
    labels.clear();
    labelSnapshot = List.of();
    memoryBytes = 0;
    manager.close();
  }

  static long bytes(NDArray array) {
    return array.size() * array.getDataType().getNumOfBytes();
  }

  private void keep(FeatureKey key, NDArray held) {
    long size = bytes(held);
    if (size > settings.memoryBytes()) {
      spill(key, held);
      held.close();
      return;
    }
    while (memoryBytes + size > settings.memoryBytes() && !memory.isEmpty()) {
      Iterator<Map.Entry<FeatureKey, NDArray>> eldest = memory.entrySet().iterator();
      Map.Entry<FeatureKey, NDArray> out = eldest.next();
      eldest.remove();
      memoryBytes -= bytes(out.getValue());
      evictions++;
      spill(out.getKey(), out.getValue());
      out.getValue().close();
    }
    memory.put(key, held);
    memoryBytes += size;
  }

  /** A copy of {@code array} in {@code into}: {@code toDevice} shares the data on one device. */
  private static NDArray copy(NDArray array, NDManager into) {
    NDArray copy =
        array.getDevice().equals(into.getDevice())
            ? array.duplicate()
            : array.toDevice(into.getDevice(), true);
    copy.attach(into);
    return copy;
  }

  private Path file(FeatureKey key) {
    return settings.dir().resolve(key.id() + SUFFIX);
  }

  private void spill(FeatureKey key, NDArray held) {
    long size = bytes(held);
    Path target = file(key);
    if (size > settings.diskBytes() || Files.isRegularFile(target)) {
      return;
    }
    try {
      Files.createDirectories(settings.dir());
      Path tmp = Files.createTempFile(settings.dir(), key.id(), ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        new NDList(held).encode(out);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      spills++;
      trimDisk(target);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("feature cache: cannot spill {} to {}: {}", key, target, e.getMessage());
    }
  }

  private NDArray readSpilled(FeatureKey key) {
    Path f = file(key);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(f)) {
      NDList list = NDList.decode(manager, in);
      Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis()));
      return list.singletonOrThrow();
    } catch (NoSuchFileException e) {
      return null; // another worker trimmed it meanwhile
    } catch (IOException | RuntimeException e) {
      LOG.warn("feature cache: dropping unreadable {}: {}", f, e.getMessage());
      try {
        Files.deleteIfExists(f);
      } catch (IOException ignored) {
        // a miss either way
      }
      return null;
    }
  }

  private record SpillFile(Path path, long size, FileTime used) {}

  /** Deletes the least recently used spill files until the folder fits its cap. */
  private void trimDisk(Path keep) {
    List<SpillFile> files = new ArrayList<>(spillFiles());
    long total = files.stream().mapToLong(SpillFile::size).sum();
    files.sort(Comparator.comparing(SpillFile::used));
    for (SpillFile f : files) {
      if (total <= settings.diskBytes()) {
        break;
      }
      if (f.path().equals(keep)) {
        continue;
      }
      try {
        Files.deleteIfExists(f.path());
        total -= f.size();
      } catch (IOException e) {
        LOG.warn("feature cache: cannot delete {}: {}", f.path(), e.getMessage());
      }
    }
  }

  private List<SpillFile> spillFiles() {
    if (!Files.isDirectory(settings.dir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(settings.dir())) {
      List<SpillFile> out = new ArrayList<>();
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList()) {
        try {
          out.add(new SpillFile(p, Files.size(p), Files.getLastModifiedTime(p)));
        } catch (IOException e) {
          // gone meanwhile
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the feature cache folder " + settings.dir(), e);
    }
  }
}
