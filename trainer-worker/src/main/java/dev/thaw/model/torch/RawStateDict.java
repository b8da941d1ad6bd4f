package dev.thaw.model.torch;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A file's pickled object graph, tensors as {@link TensorRef}s, with the little-endian bytes of
 * each storage they refer to, by storage key.
 */
record RawStateDict(Object root, Map<String, ByteBuffer> storages) {}
