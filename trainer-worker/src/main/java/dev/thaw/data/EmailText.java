package dev.thaw.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The part of a raw e-mail a classifier should read: its subject and its body, without the other
 * headers (routes, ids and dates that would fill a 128-token window and say little). Mail of the
 * 2000s is often Latin-1: bytes that are not UTF-8 are read as ISO-8859-1.
 */
final class EmailText {
  private EmailText() {}

  /** {@code Subject: <subject>} and a blank line, then the body, stripped; "" if both are empty. */
  static String of(byte[] raw) {
    String mail = decode(raw).replace("\r\n", "\n");
    int end = mail.indexOf("\n\n");
    String head = end < 0 ? mail : mail.substring(0, end);
    String body = end < 0 ? "" : mail.substring(end + 2).strip();
    String subject = subject(head);
    if (subject.isEmpty()) {
      return body;
    }
    return body.isEmpty() ? "Subject: " + subject : "Subject: " + subject + "\n\n" + body;
  }

  private static String subject(String head) {
    // Headers fold onto lines that start with white space.
    String unfolded = head.replaceAll("\n[ \t]+", " ");
    for (String line : unfolded.split("\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("subject:")) {
        return line.substring("subject:".length()).strip();
      }
    }
    return "";
  }

  static String decode(byte[] raw) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(raw, StandardCharsets.ISO_8859_1);
    }
  }
}
