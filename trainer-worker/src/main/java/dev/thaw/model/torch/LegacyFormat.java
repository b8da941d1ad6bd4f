package dev.thaw.model.torch;

import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.razorvine.pickle.PickleException;

/**
 * Reads torch's legacy (pre-1.6, non-zip) serialization: five pickles in a row (magic number,
 * protocol version, sys_info, the state dict, the list of storage keys), then each listed storage
 * as an 8-byte little-endian element count and that many elements' raw little-endian bytes.
 */
final class LegacyFormat {
  static final BigInteger MAGIC_NUMBER = new BigInteger("1950a86a20f9469cfc6c", 16);
  static final int PROTOCOL_VERSION = 1001;

  private final Path file;
  private final FileChannel channel;
  private final StorageTable table = new StorageTable();

  private LegacyFormat(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Reads {@code file} through {@code channel}, which stays open. */
  static RawStateDict read(Path file, FileChannel channel) throws IOException {
    return new LegacyFormat(file, channel).read();
  }

  private RawStateDict read() throws IOException {
    PickleInput in = PickleInput.of(channel, 0);
    StateDictUnpickler pickles = new StateDictUnpickler(file, null, in, this::storage);
    Object magic = pickles.next();
    if (!MAGIC_NUMBER.equals(magic)) {
      throw new ModelLoadException(
          ("%s is not a PyTorch state dict: it starts with a pickle of %s, not torch's magic"
                  + " number 0x%s")
              .formatted(file, StateDictUnpickler.describe(magic), MAGIC_NUMBER.toString(16)));
    }
    Object version = pickles.next();
    if (!Integer.valueOf(PROTOCOL_VERSION).equals(version)) {
      throw new ModelLoadException(
          "%s is a PyTorch file of protocol version %s; only %d is read"
              .formatted(file, version, PROTOCOL_VERSION));
    }
    if (!(pickles.next() instanceof Map<?, ?> sysInfo)
        || !Boolean.TRUE.equals(sysInfo.get("little_endian"))) {
      throw new ModelLoadException(
          file
              + " was not written on a little-endian machine (its sys_info says so or is missing)");
    }
    Object root = pickles.next();
    long keysAt = in.position();
    if (!(pickles.next() instanceof List<?> keys)) {
      throw new ModelLoadException(
          "%s has no list of storage keys after its state dict (at %s)"
              .formatted(file, pickles.where(keysAt)));
    }
    return new RawStateDict(root, readStorages(keys, in.position()));
  }

  /** ('storage', storage_type, root_key, location, numel, view_metadata) */
  private StorageRef storage(Object[] pid) {
    if (pid.length != 6) {
      throw new PickleException(
          "a storage id of %d items; the legacy format has 6".formatted(pid.length));
    }
    StorageRef root = table.root(pid[2], pid[1], pid[4]);
    if (pid[5] == null) {
      return root;
    }
    if (!(pid[5] instanceof Object[] view) || view.length != 3) {
      throw new PickleException("storage '%s' has malformed view_metadata".formatted(pid[2]));
    }
    long offset = StateDictUnpickler.toLong(view[1], "a storage view's offset");
    long numel = StateDictUnpickler.toLong(view[2], "a storage view's size");
    if (offset < 0 || numel < 0 || offset > root.numel() - numel) {
      throw new PickleException(
          "storage view '%s' of elements %d..%d is outside storage '%s' of %d elements"
              .formatted(view[0], offset, offset + numel, root.rootKey(), root.numel()));
    }
    return new StorageRef(root.rootKey(), root.dtype(), root.numel(), offset, numel);
  }

  private Map<String, ByteBuffer> readStorages(List<?> keys, long start) throws IOException {
    Map<String, StorageRef> declared = table.roots();
    Map<String, ByteBuffer> storages = new LinkedHashMap<>();
    long fileSize = channel.size();
    long position = start;
    for (Object key : keys) {
      StorageRef storage = declared.get(key);
      if (storage == null || storages.containsKey(key)) {
        throw new ModelLoadException(
            "%s lists storage %s at byte offset %s, which its state dict %s"
                .formatted(
                    file,
                    key instanceof String s ? "'" + s + "'" : "key " + key,
                    format(position),
                    storage == null ? "never uses" : "listed before"));
      }
      if (fileSize - position < Long.BYTES) {
        throw truncated(storage, Long.BYTES, position, fileSize, "for its element count");
      }
      long count = read(position, Long.BYTES).getLong();
      if (count != storage.numel()) {
        throw new ModelLoadException(
            "%s holds %s elements for storage '%s' at byte offset %s, but its state dict says %s"
                .formatted(
                    file,
                    format(count),
                    storage.rootKey(),
                    format(position),
                    format(storage.numel())));
      }
      position += Long.BYTES;
      int size = storage.dtype().byteSize();
      long bytes = count > Long.MAX_VALUE / size ? Long.MAX_VALUE : count * size;
      if (bytes > fileSize - position) {
        throw truncated(storage, bytes, position, fileSize, "of data");
      }
      if (bytes > Integer.MAX_VALUE) {
        throw new ModelLoadException(
            "%s holds storage '%s' of %s bytes; storages over 2 GiB are not supported"
                .formatted(file, storage.rootKey(), format(bytes)));
      }
      storages.put(storage.rootKey(), read(position, (int) bytes));
      position += bytes;
    }
    for (StorageRef storage : declared.values()) {
      if (!storages.containsKey(storage.rootKey())) {
        throw new ModelLoadException(
            ("%s has no data for storage '%s', which its state dict uses (its %d listed storages"
                    + " end at byte offset %s)")
                .formatted(file, storage.rootKey(), keys.size(), format(position)));
      }
    }
    return storages;
  }

  private ModelLoadException truncated(
      StorageRef storage, long bytes, long position, long fileSize, String what) {
    return new ModelLoadException(
        "%s is truncated: storage '%s' needs %s bytes %s at byte offset %s but the file ends at %s"
            .formatted(
                file, storage.rootKey(), format(bytes), what, format(position), format(fileSize)));
  }

  private ByteBuffer read(long position, int bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new ModelLoadException(
            "%s ended while reading byte offset %s".formatted(file, format(position)));
      }
    }
    return buffer.flip();
  }

  private static String format(long number) {
    return String.format(Locale.ROOT, "%,d", number);
  }
}
