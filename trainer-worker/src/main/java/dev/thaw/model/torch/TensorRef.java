package dev.thaw.model.torch;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it, before its storage's bytes are
 * read: element {@code offset} of {@code storage}, {@code size} and {@code stride} in elements.
 */
record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}
