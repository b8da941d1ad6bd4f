package dev.thaw.model.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor read from a state dict: its shape, element type and values in row-major (C) order.
 *
 * <p>{@code data} holds exactly {@code numel() * dtype.byteSize()} little-endian bytes; the record
 * keeps a read-only view of it and hands out copies of {@code shape}, so a tensor cannot be changed
 * once read. Two tensors of one file may share the bytes of one storage.
 *
 * @param name the state dict's key, e.g. {@code features.0.0.weight}
 * @param shape the size of each dimension; empty for a scalar
 * @param dtype the element type
 * @param data the values, little-endian, row-major
 */
public record TorchTensor(String name, long[] shape, TorchDType dtype, ByteBuffer data) {

  public TorchTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    long bytes = Math.multiplyExact(numel(shape), dtype.byteSize());
    if (data.remaining() != bytes) {
      throw new IllegalArgumentException(
          "tensor '%s' of shape %s and dtype %s needs %d bytes, got %d"
              .formatted(name, Arrays.toString(shape), dtype, bytes, data.remaining()));
    }
    data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The values' bytes: a read-only, little-endian view positioned at the first value. */
  @Override
  public ByteBuffer data() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The number of elements: the product of the shape, 1 for a scalar. */
  public long numel() {
    return numel(shape);
  }

  /**
   * The values as floats: float32 as stored, float64, float16 and bfloat16 converted.
   *
   * @throws IllegalStateException for an integer or bool tensor (use {@link #toLongs()})
   */
  public float[] toFloats() {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalStateException(
          "tensor '%s' holds %s values, not floating-point ones; read it with toLongs()"
              .formatted(name, dtype));
    }
    float[] values = new float[arrayLength()];
    ByteBuffer bytes = data();
    switch (dtype) {
      case FLOAT32 -> bytes.asFloatBuffer().get(values);
      case FLOAT64 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) bytes.getDouble(i * 8);
        }
      }
      case FLOAT16 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = Float.float16ToFloat(bytes.getShort(i * 2));
        }
      }
      case BFLOAT16 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = Float.intBitsToFloat((bytes.getShort(i * 2) & 0xffff) << 16);
        }
      }
      default -> throw new AssertionError(dtype);
    }
    return values;
  }

  /**
   * The values as longs: int64, int32, int16, int8, uint8 (0..255) and bool (0 or 1).
   *
   * @throws IllegalStateException for a floating-point tensor (use {@link #toFloats()})
   */
  public long[] toLongs() {
    if (dtype.isFloatingPoint()) {
      throw new IllegalStateException(
          "tensor '%s' holds %s values, not integer ones; read it with toFloats()"
              .formatted(name, dtype));
    }
    long[] values = new long[arrayLength()];
    ByteBuffer bytes = data();
    switch (dtype) {
      case INT64 -> bytes.asLongBuffer().get(values);
      case INT32 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = bytes.getInt(i * 4);
        }
      }
      case INT16 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = bytes.getShort(i * 2);
        }
      }
      case INT8 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = bytes.get(i);
        }
      }
      case UINT8 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = bytes.get(i) & 0xff;
        }
      }
      case BOOL -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = bytes.get(i) != 0 ? 1 : 0;
        }
      }
      default -> throw new AssertionError(dtype);
    }
    return values;
  }

  /** Equal when name, shape, dtype and every value's bytes are. */
  @Override
  public boolean equals(Object other) {
    return other instanceof TorchTensor that
        && name.equals(that.name)
        && Arrays.equals(shape, that.shape)
        && dtype == that.dtype
        && data.equals(that.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), dtype, data);
  }

  /** Name, shape and dtype; not the values. */
  @Override
  public String toString() {
    return "TorchTensor[%s %s %s]".formatted(name, Arrays.toString(shape), dtype);
  }

  private int arrayLength() {
    // data holds at most Integer.MAX_VALUE bytes, so numel fits an int.
    return (int) numel();
  }

  private static long numel(long[] shape) {
    long n = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, dim);
    }
    return n;
  }
}
