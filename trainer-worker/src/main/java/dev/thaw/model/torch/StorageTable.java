package dev.thaw.model.torch;

import dev.thaw.model.torch.StateDictUnpickler.StorageType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import net.razorvine.pickle.PickleException;

/**
 * The storages a pickle's persistent ids declare, by key, in the order first seen; a key declared
 * twice must agree on element type and count.
 */
final class StorageTable {
  private final SequencedMap<String, StorageRef> roots = new LinkedHashMap<>();

  /** The whole storage {@code key} of {@code numel} elements of {@code type}. */
  StorageRef root(Object key, Object type, Object numel) {
    if (!(key instanceof String name)) {
      throw new PickleException(
          "a storage key that is " + StateDictUnpickler.describe(key) + ", not a str");
    }
    if (!(type instanceof StorageType storageType)) {
      throw new PickleException(
          "storage '%s' has a type that is %s, not a torch.*Storage"
              .formatted(name, StateDictUnpickler.describe(type)));
    }
    long count = StateDictUnpickler.toLong(numel, "the element count of storage '" + name + "'");
    if (count < 0) {
      throw new PickleException("storage '%s' has %d elements".formatted(name, count));
    }
    StorageRef root = new StorageRef(name, storageType.dtype(), count, 0, count);
    StorageRef known = roots.putIfAbsent(name, root);
    if (known != null && !known.equals(root)) {
      throw new PickleException(
          "storage '%s' is declared as %d %s elements and as %d %s elements"
              .formatted(name, known.numel(), known.dtype(), count, root.dtype()));
    }
    return root;
  }

  /** The declared storages, in the order first seen. */
  SequencedMap<String, StorageRef> roots() {
    return Collections.unmodifiableSequencedMap(roots);
  }
}
