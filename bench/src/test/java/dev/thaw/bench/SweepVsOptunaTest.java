package dev.thaw.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.bench.SweepVsOptunaGrid.Config;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.sweep.SweepValidator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep-vs-optuna's pure parts: the configurations, the sweep file, the exported arrays. */
class SweepVsOptunaTest {
  @Test
  void standardGridIsTwelveDistinctConfigsAndAValidSweepOfAsMany() {
    SweepVsOptunaGrid grid = SweepVsOptunaGrid.standard();
    List<Config> configs = grid.configs();
    assertEquals(12, configs.size());
    assertEquals(12, new HashSet<>(configs).size());
    assertEquals(new Config(9, 1e-3, 1e-5, 3e-4), configs.get(0));
    assertEquals(new Config(6, 3e-3, 1e-5, 1e-3), configs.get(11));
    String yaml = grid.yaml("sweep-vs-optuna-1");
    assertEquals(List.of(), SweepValidator.withGroups(9).validate(yaml));
    SweepSpec spec = SweepLoader.load(yaml).spec();
    assertEquals(12, spec.maxTrials());
    assertEquals(1, spec.parallelTrials());
    assertEquals(1L, spec.seed());
  }

  @Test
  void groupRatesAreThawsGeometricSlice() {
    double[] rates = new Config(6, 1e-3, 1e-5, 1e-3).groupRates();
    assertEquals(9, rates.length);
    assertEquals(1e-5, rates[0], 1e-18);
    assertEquals(1e-4, rates[4], 1e-16);
    assertEquals(1e-3, rates[8], 1e-15);
  }

  @Test
  void configComesBackFromTheOrchestratorsParams() throws Exception {
    var params =
        new ObjectMapper()
            .readTree(
                "{\"freeze_depth\": 8, \"lr_head\": 0.003, \"lr_backbone.slice.lo\": 1e-5,"
                    + " \"lr_backbone.slice.hi\": 0.0003, \"epochs\": 3}");
    assertEquals(new Config(8, 3e-3, 1e-5, 3e-4), Config.fromParams(params));
    var all = new ObjectMapper().readTree(params.toString().replace("8", "\"all\""));
    assertEquals(9, Config.fromParams(all).freezeDepth());
  }

  @Test
  void ratesPrintShort() {
    assertEquals("1e-5", SweepVsOptunaGrid.rate(1e-5));
    assertEquals("3e-4", SweepVsOptunaGrid.rate(3e-4));
    assertEquals("fd=all head=1e-3 slice=1e-5..1e-3", new Config(9, 1e-3, 1e-5, 1e-3).label());
  }

  @Test
  void npyFileHasAnAlignedHeaderThenTheBytes(@TempDir Path dir) throws Exception {
    byte[] pixels = {0, 1, 2, (byte) 255, 4, 5};
    Path x = dir.resolve("x.npy");
    NpyFile.writeBytes(x, pixels, 1, 2, 3);
    byte[] file = Files.readAllBytes(x);
    int headerLength = ByteBuffer.wrap(file, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    assertEquals(0, (10 + headerLength) % 64);
    String header = new String(file, 10, headerLength, StandardCharsets.US_ASCII);
    assertEquals("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 3), }", header.strip());
    assertEquals('\n', header.charAt(header.length() - 1));
    assertArrayEquals(pixels, Arrays.copyOfRange(file, 10 + headerLength, file.length));

    Path y = dir.resolve("y.npy");
    NpyFile.writeInt64(y, new int[] {7, 9});
    byte[] labels = Files.readAllBytes(y);
    String yHeader = new String(labels, 10, labels.length - 10 - 16, StandardCharsets.US_ASCII);
    assertEquals("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", yHeader.strip());
    assertEquals(
        9L, ByteBuffer.wrap(labels, labels.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
  }

  @Test
  void sha256IsOfTheArrayBytes() {
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        NpyFile.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void workerCacheLinesAreReadByTrial() {
    var lines =
        List.of(
            "leased trial t-1 of sweep s (attempt 1, lease x)",
            "  trial t-1 feature cache: 2 hit(s), 0 partial, 0 miss(es), 8.7 MB of features,"
                + " prefix 0.0 s",
            "  trial t-2 feature cache: 0 hit(s), 2 partial, 0 miss(es), 20.1 MB of features,"
                + " prefix 1.1 s");
    var byTrial = SweepVsOptunaThaw.cacheLines(lines);
    assertEquals("2/0/0", byTrial.get("t-1"));
    assertEquals("0/2/0", byTrial.get("t-2"));
  }
}
