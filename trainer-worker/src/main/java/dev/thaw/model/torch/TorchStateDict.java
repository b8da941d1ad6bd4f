package dev.thaw.model.torch;

import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.zip.ZipException;

/**
 * The tensors of a PyTorch {@code .pth} state dict ({@code torch.save(model.state_dict(), f)}),
 * read without Python and without running anything the file holds: only the globals a state dict
 * needs are resolved, as {@code torch.load(f, weights_only=True)} does. Reads the zip format (torch
 * 1.6 and later) and the legacy one before it. A checkpoint whose top-level dict has no tensors but
 * a dict under {@code state_dict} or {@code model} is read from that dict.
 */
public final class TorchStateDict {
  private static final List<String> NESTED_KEYS = List.of("state_dict", "model");

  private final SequencedMap<String, TorchTensor> tensors;

  private TorchStateDict(SequencedMap<String, TorchTensor> tensors) {
    this.tensors = Collections.unmodifiableSequencedMap(tensors);
  }

  /**
   * Reads a .pth file: the legacy (non-zip) serialization and the zip one (torch >= 1.6).
   *
   * @throws ModelLoadException naming the file and what is wrong where: not a state dict, a global
   *     other than a state dict's, truncated, a tensor outside its storage
   */
  public static TorchStateDict read(Path file) {
    RawStateDict raw;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(4);
      channel.read(head, 0);
      head.flip();
      if (head.remaining() == 4 && head.getInt(0) == 0x504b0304) {
        raw = ZipFormat.read(file);
      } else if (head.hasRemaining() && head.get(0) == (byte) 0x80) {
        raw = LegacyFormat.read(file, channel);
      } else {
        throw new ModelLoadException(file + " is not a PyTorch state dict (no pickle/zip header)");
      }
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(file + " does not exist", e);
    } catch (ZipException e) {
      throw new ModelLoadException(file + " is not a readable zip file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e, e);
    }
    SequencedMap<String, TorchTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, TensorRef> entry : tensorRefs(file, raw.root()).entrySet()) {
      TensorRef ref = entry.getValue();
      ByteBuffer bytes = raw.storages().get(ref.storage().rootKey());
      tensors.put(entry.getKey(), StridedTensors.materialize(file, entry.getKey(), ref, bytes));
    }
    return new TorchStateDict(tensors);
  }

  /** The tensors by name, in the file's key order; unmodifiable. */
  public SequencedMap<String, TorchTensor> tensors() {
    return tensors;
  }

  /** The tensor named {@code name}, if the file has it. */
  public Optional<TorchTensor> get(String name) {
    return Optional.ofNullable(tensors.get(name));
  }

  /**
   * The state dict's tensors: the top-level dict's, or those of the dict nested in a checkpoint.
   */
  private static SequencedMap<String, TensorRef> tensorRefs(Path file, Object root) {
    if (!(root instanceof Map<?, ?> top)) {
      throw new ModelLoadException(
          "%s holds %s, not a state dict (a dict of tensors)"
              .formatted(file, StateDictUnpickler.describe(root)));
    }
    Map<?, ?> dict = top;
    boolean noTensors = top.values().stream().noneMatch(TensorRef.class::isInstance);
    if (noTensors) {
      for (String key : NESTED_KEYS) {
        if (top.get(key) instanceof Map<?, ?> nested) {
          dict = nested;
          break;
        }
      }
    }
    String where = dict == top ? "" : " in the checkpoint's nested dict";
    SequencedMap<String, TensorRef> refs = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : dict.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new ModelLoadException(
            "%s has a key that is %s%s, where a state dict's keys are str"
                .formatted(file, StateDictUnpickler.describe(entry.getKey()), where));
      }
      if (!(entry.getValue() instanceof TensorRef ref)) {
        throw new ModelLoadException(
            "%s holds %s under key '%s'%s, where a state dict holds tensors only%s"
                .formatted(
                    file,
                    StateDictUnpickler.describe(entry.getValue()),
                    key,
                    where,
                    noTensors && dict == top
                        ? " (nor does it nest one under 'state_dict' or 'model')"
                        : ""));
      }
      refs.put(key, ref);
    }
    return refs;
  }
}
