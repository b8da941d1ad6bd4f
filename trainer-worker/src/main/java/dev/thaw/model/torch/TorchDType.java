package dev.thaw.model.torch;

import java.util.Optional;

/**
 * The element types a state dict's tensors can have, each with its size in bytes and the name of
 * the {@code torch.*Storage} class that a {@code .pth} file pickles for it.
 */
public enum TorchDType {
  FLOAT32(4, true, "FloatStorage"),
  FLOAT64(8, true, "DoubleStorage"),
  FLOAT16(2, true, "HalfStorage"),
  BFLOAT16(2, true, "BFloat16Storage"),
  INT64(8, false, "LongStorage"),
  INT32(4, false, "IntStorage"),
  INT16(2, false, "ShortStorage"),
  INT8(1, false, "CharStorage"),
  UINT8(1, false, "ByteStorage"),
  BOOL(1, false, "BoolStorage");

  private final int byteSize;
  private final boolean floatingPoint;
  private final String storageType;

  TorchDType(int byteSize, boolean floatingPoint, String storageType) {
    this.byteSize = byteSize;
    this.floatingPoint = floatingPoint;
    this.storageType = storageType;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether {@link TorchTensor#toFloats()} reads it (else {@link TorchTensor#toLongs()} does). */
  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** The storage class's name in the {@code torch} module, e.g. {@code FloatStorage}. */
  public String storageType() {
    return storageType;
  }

  /** The element type of {@code torch.<name>}, e.g. {@code FloatStorage}; empty if none is. */
  public static Optional<TorchDType> ofStorageType(String name) {
    for (TorchDType type : values()) {
      if (type.storageType.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
