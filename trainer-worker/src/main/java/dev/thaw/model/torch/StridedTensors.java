package dev.thaw.model.torch;

import dev.thaw.task.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns a {@link TensorRef} into a {@link TorchTensor}: checks that its offset, shape and strides
 * stay inside its storage, then shares the storage's bytes if the tensor is a contiguous run of
 * them, or copies its elements into row-major order if it is a strided view (a transpose, a column,
 * an expanded tensor).
 */
final class StridedTensors {
  private StridedTensors() {}

  /** The tensor under {@code key}, its storage's bytes being {@code storageBytes}. */
  static TorchTensor materialize(Path file, String key, TensorRef ref, ByteBuffer storageBytes) {
    StorageRef storage = ref.storage();
    long[] size = ref.size();
    long[] stride = ref.stride();
    long numel = 1;
    long last = ref.offset();
    boolean valid = ref.offset() >= 0;
    try {
      for (int i = 0; i < size.length; i++) {
        valid &= size[i] >= 0 && stride[i] >= 0;
        numel = Math.multiplyExact(numel, size[i]);
        if (size[i] > 0) {
          last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
        }
      }
    } catch (ArithmeticException e) {
      valid = false;
    }
    long needed = numel == 0 ? ref.offset() : last + 1;
    if (!valid || needed > storage.numel()) {
      throw new ModelLoadException(
          String.format(
              Locale.ROOT,
              "%s: tensor '%s' of shape %s, strides %s and storage offset %,d reaches element %,d"
                  + " of storage '%s', which holds %,d",
              file,
              key,
              Arrays.toString(size),
              Arrays.toString(stride),
              ref.offset(),
              needed,
              storage.rootKey(),
              storage.numel()));
    }
    int elementBytes = storage.dtype().byteSize();
    long bytes = numel * elementBytes;
    if (bytes > Integer.MAX_VALUE) {
      throw new ModelLoadException(
          String.format(
              Locale.ROOT,
              "%s: tensor '%s' holds %,d bytes; tensors over 2 GiB are not supported",
              file,
              key,
              bytes));
    }
    // Both fit an int: the storage's bytes are one ByteBuffer.
    int first = (int) ((storage.offset() + ref.offset()) * elementBytes);
    ByteBuffer values =
        isContiguous(size, stride)
            ? storageBytes.slice(first, (int) bytes)
            : gather(storageBytes, first, size, stride, elementBytes, (int) bytes);
    return new TorchTensor(key, size, storage.dtype(), values.order(ByteOrder.LITTLE_ENDIAN));
  }

  /** Row-major without gaps; dimensions of size 1 may have any stride. */
  static boolean isContiguous(long[] size, long[] stride) {
    long expected = 1;
    for (int i = size.length - 1; i >= 0; i--) {
      if (size[i] != 1 && stride[i] != expected) {
        return false;
      }
      expected *= size[i];
    }
    return true;
  }

  /**
   * Copies a strided view's elements in row-major order, a row of its last dimension at a time.
   * Dimensions of size 1 are dropped first: they do not change the order, and 1x1 convolution
   * weights saved transposed would otherwise be copied one element per row.
   */
  private static ByteBuffer gather(
      ByteBuffer source, int first, long[] shape, long[] strides, int elementBytes, int bytes) {
    ByteBuffer target = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long[] size = Arrays.stream(shape).filter(n -> n != 1).toArray();
    long[] stride = new long[size.length];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (shape[i] != 1) {
        stride[j++] = strides[i] * elementBytes;
      }
    }
    // A view that is not contiguous has a dimension of size over 1, unless it is empty.
    if (bytes == 0) {
      return target;
    }
    int rank = size.length;
    int rowLength = (int) size[rank - 1];
    int step = (int) stride[rank - 1];
    ByteBuffer from = source.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long[] index = new long[rank - 1];
    int written = 0;
    while (written < bytes) {
      long start = first;
      for (int i = 0; i < rank - 1; i++) {
        start += index[i] * stride[i];
      }
      if (step == elementBytes) {
        target.put(written, from, (int) start, rowLength * elementBytes);
        written += rowLength * elementBytes;
      } else {
        written = copyRow(from, (int) start, step, rowLength, target, written, elementBytes);
      }
      for (int i = rank - 2; i >= 0 && ++index[i] == size[i]; i--) {
        index[i] = 0;
      }
    }
    return target;
  }

  /** Copies {@code count} elements {@code step} bytes apart; returns the next target offset. */
  private static int copyRow(
      ByteBuffer from, int at, int step, int count, ByteBuffer to, int written, int elementBytes) {
    switch (elementBytes) {
      case 1 -> {
        for (int j = 0; j < count; j++, at += step, written += 1) {
          to.put(written, from.get(at));
        }
      }
      case 2 -> {
        for (int j = 0; j < count; j++, at += step, written += 2) {
          to.putShort(written, from.getShort(at));
        }
      }
      case 4 -> {
        for (int j = 0; j < count; j++, at += step, written += 4) {
          to.putInt(written, from.getInt(at));
        }
      }
      case 8 -> {
        for (int j = 0; j < count; j++, at += step, written += 8) {
          to.putLong(written, from.getLong(at));
        }
      }
      default -> throw new AssertionError(elementBytes);
    }
    return written;
  }
}
