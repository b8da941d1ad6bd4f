package dev.thaw.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Writes NumPy's {@code .npy} format, version 1.0 (a magic string, a little-endian header length, a
 * Python-literal header padded with spaces to a multiple of 64 bytes and ending in a newline, then
 * the array's bytes in C order), so that a Python script reads exactly the bytes Thaw trained on
 * with {@code numpy.load}. {@link #sha256} is the digest of the array's bytes alone (what {@code
 * hashlib.sha256(array.tobytes())} gives on the Python side), not of the file.
 */
final class NpyFile {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private NpyFile() {}

  /** Writes unsigned bytes ({@code |u1}) of the given shape. */
  static void writeBytes(Path file, byte[] data, long... shape) throws IOException {
    check(data.length, shape);
    write(file, "|u1", data, shape);
  }

  /** Writes {@code values} as little-endian int64 ({@code <i8}), a vector. */
  static void writeInt64(Path file, int[] values) throws IOException {
    write(file, "<i8", int64Bytes(values), values.length);
  }

  /** The bytes of {@code values} as little-endian int64, as the file holds them. */
  static byte[] int64Bytes(int[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  /** The header (magic, version, length, dictionary, padding, newline) for this type and shape. */
  static byte[] header(String descr, long... shape) {
    String dims =
        shape.length == 1
            ? shape[0] + ","
            : LongStream.of(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    StringBuilder dict =
        new StringBuilder(
            "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }");
    int unpadded = MAGIC.length + 2 + dict.length() + 1;
    dict.append(" ".repeat((64 - unpadded % 64) % 64)).append('\n');
    byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b =
        ByteBuffer.allocate(MAGIC.length + 2 + text.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) text.length).put(text);
    return b.array();
  }

  /** SHA-256 of the bytes, in lower-case hex. */
  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
    }
  }

  private static void write(Path file, String descr, byte[] data, long... shape)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header(descr, shape));
      out.write(data);
    }
  }

  private static void check(long bytes, long... shape) {
    long n = LongStream.of(shape).reduce(1, (a, b) -> a * b);
    if (n != bytes) {
      throw new IllegalArgumentException(
          bytes + " bytes for an array of shape " + java.util.Arrays.toString(shape));
    }
  }
}
