package dev.thaw.model.torch;

import dev.thaw.task.ModelLoadException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;

/**
 * Reads torch's zip serialization (the default since torch 1.6): {@code <prefix>/data.pkl} is the
 * state dict's pickle, {@code <prefix>/data/<key>} each storage's raw little-endian bytes. The
 * prefix is the archive's name at save time (often {@code archive}), found from the entries.
 */
final class ZipFormat {
  private static final String PICKLE = "data.pkl";

  private final Path file;
  private final ZipFile zip;
  private final StorageTable table = new StorageTable();

  private ZipFormat(Path file, ZipFile zip) {
    this.file = file;
    this.zip = zip;
  }

  static RawStateDict read(Path file) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return new ZipFormat(file, zip).read();
    }
  }

  private RawStateDict read() throws IOException {
    String prefix = prefix();
    ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
    if (byteOrder != null) {
      String order = new String(bytes(byteOrder, 16, "its byte order"), StandardCharsets.US_ASCII);
      if (!order.strip().equals("little")) {
        throw new ModelLoadException(
            "%s was written %s-endian (zip entry '%s'); only little-endian files are read"
                .formatted(file, order.strip(), byteOrder.getName()));
      }
    }
    ZipEntry pickle = zip.getEntry(prefix + PICKLE);
    byte[] pickled = bytes(pickle, Integer.MAX_VALUE - 8, "the state dict's pickle");
    Object root =
        new StateDictUnpickler(file, pickle.getName(), PickleInput.of(pickled), this::storage)
            .next();
    Map<String, ByteBuffer> storages = new LinkedHashMap<>();
    for (StorageRef storage : table.roots().values()) {
      storages.put(storage.rootKey(), storage(prefix, storage));
    }
    return new RawStateDict(root, storages);
  }

  /** The directory holding {@code data.pkl}, with its trailing slash. */
  private String prefix() {
    List<String> pickles =
        zip.stream()
            .map(ZipEntry::getName)
            .filter(
                name -> name.endsWith("/" + PICKLE) && name.indexOf('/') == name.lastIndexOf('/'))
            .toList();
    if (pickles.size() != 1) {
      throw new ModelLoadException(
          "%s is a zip file but not a PyTorch state dict: it has %s, where torch.save writes one"
              .formatted(
                  file,
                  pickles.isEmpty()
                      ? "no entry <prefix>/" + PICKLE
                      : pickles.size() + " entries " + String.join(", ", pickles)));
    }
    String name = pickles.getFirst();
    return name.substring(0, name.length() - PICKLE.length());
  }

  /** ('storage', storage_type, key, location, numel) */
  private StorageRef storage(Object[] pid) {
    if (pid.length != 5) {
      throw new PickleException(
          "a storage id of %d items; the zip format has 5".formatted(pid.length));
    }
    return table.root(pid[2], pid[1], pid[4]);
  }

  private ByteBuffer storage(String prefix, StorageRef storage) throws IOException {
    String name = prefix + "data/" + storage.rootKey();
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new ModelLoadException(
          "%s has no zip entry '%s' for storage '%s' (%s elements of %s) that its state dict uses"
              .formatted(file, name, storage.rootKey(), format(storage.numel()), storage.dtype()));
    }
    int size = storage.dtype().byteSize();
    long bytes = storage.numel() > Long.MAX_VALUE / size ? Long.MAX_VALUE : storage.numel() * size;
    if (bytes > entry.getSize()) {
      throw new ModelLoadException(
          "%s is truncated: storage '%s' needs %s bytes but zip entry '%s' holds %s"
              .formatted(file, storage.rootKey(), format(bytes), name, format(entry.getSize())));
    }
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new ModelLoadException(
          "%s holds storage '%s' of %s bytes; storages over 2 GiB are not supported"
              .formatted(file, storage.rootKey(), format(bytes)));
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] data = readNBytes(in, entry, (int) bytes);
      if (data.length != bytes) {
        throw new ModelLoadException(
            "%s is truncated: zip entry '%s' ends after %s of the %s bytes of storage '%s'"
                .formatted(file, name, format(data.length), format(bytes), storage.rootKey()));
      }
      return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  /** All of a small entry, at most {@code limit} bytes of it. */
  private byte[] bytes(ZipEntry entry, int limit, String what) throws IOException {
    if (entry.getSize() > limit) {
      throw new ModelLoadException(
          "%s holds %s of %s bytes in zip entry '%s'; at most %s are read"
              .formatted(file, what, format(entry.getSize()), entry.getName(), format(limit)));
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return readNBytes(in, entry, limit);
    }
  }

  private byte[] readNBytes(InputStream in, ZipEntry entry, int limit) throws IOException {
    try {
      return in.readNBytes(limit);
    } catch (EOFException e) {
      throw new ModelLoadException(
          "%s is truncated: zip entry '%s' reaches past the end of the file"
              .formatted(file, entry.getName()),
          e);
    }
  }

  private static String format(long number) {
    return String.format(Locale.ROOT, "%,d", number);
  }
}
