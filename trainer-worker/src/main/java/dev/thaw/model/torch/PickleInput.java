package dev.thaw.model.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The bytes a pickle is read from, buffered, knowing how far it has read: a file from some offset
 * to its end (the legacy format's pickles, whose lengths are known only once read) or a byte array
 * (a zip entry). {@link #position()} is exact, so the legacy format's storage data can start where
 * its last pickle ended, and error messages can say where a pickle went wrong.
 */
final class PickleInput extends InputStream {
  private static final int BUFFER_BYTES = 64 * 1024;

  private final FileChannel channel;
  private final long end;
  private final ByteBuffer buffer;
  private long bufferStart;

  private PickleInput(FileChannel channel, long start, long end, ByteBuffer buffer) {
    this.channel = channel;
    this.end = end;
    this.buffer = buffer;
    this.bufferStart = start;
  }

  /** Reads {@code channel} from {@code start} to its end; the channel stays open. */
  static PickleInput of(FileChannel channel, long start) throws IOException {
    return new PickleInput(
        channel, start, channel.size(), ByteBuffer.allocate(BUFFER_BYTES).limit(0));
  }

  /** Reads {@code bytes}; positions count from 0. */
  static PickleInput of(byte[] bytes) {
    return new PickleInput(null, 0, bytes.length, ByteBuffer.wrap(bytes));
  }

  /** The offset of the next byte to be read. */
  long position() {
    return bufferStart + buffer.position();
  }

  /** The bytes left before the end. */
  long remaining() {
    return end - position();
  }

  @Override
  public int read() throws IOException {
    return fill() ? buffer.get() & 0xff : -1;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(length, buffer.remaining());
    buffer.get(into, offset, n);
    return n;
  }

  private boolean fill() throws IOException {
    if (buffer.hasRemaining()) {
      return true;
    }
    if (channel == null || position() >= end) {
      return false;
    }
    bufferStart = position();
    buffer.clear();
    buffer.limit((int) Math.min(BUFFER_BYTES, end - bufferStart));
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, bufferStart + buffer.position()) < 0) {
        break;
      }
    }
    buffer.flip();
    return buffer.hasRemaining();
  }
}
