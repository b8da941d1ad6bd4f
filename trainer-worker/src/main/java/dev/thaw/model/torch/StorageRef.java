package dev.thaw.model.torch;

/**
 * A storage that a pickle's persistent id names: {@code numel} elements from element {@code offset}
 * of the root storage {@code rootKey} (offset 0 and the whole root unless the legacy format's
 * view_metadata made it a view).
 */
record StorageRef(String rootKey, TorchDType dtype, long rootNumel, long offset, long numel) {}
