package dev.thaw.train.features;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import dev.thaw.model.LayerGroup;
import dev.thaw.model.TransferNetwork;
import dev.thaw.model.nn.BatchNorm2d;
import dev.thaw.model.nn.InputNormalization;
import dev.thaw.model.nn.Relu6;
import dev.thaw.model.nn.Residual;
import dev.thaw.model.nn.SamePadding2d;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Where a network's frozen prefix g0..g(k-1) ends among its blocks, whether it can be cached, and
 * what identifies it. A prefix can be cached when its groups are whole blocks of the network's
 * root, every parameter in it is frozen, and every layer in it computes in a training step exactly
 * what it computes in inference: convolutions, linear layers, parameter-free functions, input
 * normalisation, BatchNorm layers held on their running statistics, residual blocks without active
 * stochastic depth, ReLU6. Any other layer (dropout, DJL's own BatchNorm, a TorchScript module)
 * refuses the cache: the stage then runs uncached.
 *
 * <p>Made for one stage: its digests are of the parameter values at that moment.
 */
public final class FeaturePrefix {
  private final TransferNetwork net;
  private final List<Block> blocks;
  private final int[] ends;
  private final String[] blockDigests;

  private FeaturePrefix(TransferNetwork net) {
    this.net = net;
    this.blocks = net.blocks();
    int n = net.groups().size();
    this.ends = new int[n + 1];
    this.blockDigests = new String[blocks.size()];
    Set<String> groupIds = new HashSet<>();
    for (int k = 1; k <= n; k++) {
      net.groups().get(k - 1).parameters().forEach(p -> groupIds.add(p.getId()));
      ends[k] = firstBlockEndCovering(groupIds);
    }
  }

  /** The prefixes of {@code net} as its parameters and modes are now. */
  public static FeaturePrefix of(TransferNetwork net) {
    return new FeaturePrefix(net);
  }

  /**
   * The index in {@link TransferNetwork#blocks()} of the first block after g(k-1): the prefix is
   * blocks {@code [0, end(k))}; -1 when g0..g(k-1) are not whole blocks.
   */
  public int end(int k) {
    return k >= 1 && k < ends.length ? ends[k] : -1;
  }

  /** Why the prefix of depth {@code k} cannot be cached, or null when it can. */
  public String refusal(int k) {
    if (k < 1 || k >= ends.length) {
      return "no frozen group to cache (depth " + k + ")";
    }
    if (!net.canStartForwardLater()) {
      return "the network always runs from its first block (a TorchScript model)";
    }
    if (ends[k] < 0) {
      return "g0..g" + (k - 1) + " are not whole blocks of the network";
    }
    for (int i = 0; i < k; i++) {
      LayerGroup g = net.groups().get(i);
      for (Parameter p : g.parameters()) {
        if (p.requiresGradient()) {
          return g.name() + " trains (" + p.getName() + " is not frozen)";
        }
      }
    }
    for (int b = 0; b < ends[k]; b++) {
      String why = refusal(blocks.get(b));
      if (why != null) {
        return "the prefix holds " + why;
      }
    }
    return null;
  }

  /**
   * SHA-256 over the prefix of depth {@code k}: each block's layer types, parameter names, shapes
   * and values, so the same source model cut at the same place gives the same digest in every trial
   * and any other weights a different one.
   */
  public String digest(int k) {
    if (end(k) < 0) {
      throw new IllegalArgumentException("no prefix of depth " + k + " to digest");
    }
    MessageDigest sha = sha256();
    for (int b = 0; b < ends[k]; b++) {
      if (blockDigests[b] == null) {
        blockDigests[b] = blockDigest(blocks.get(b));
      }
      sha.update(blockDigests[b].getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private int firstBlockEndCovering(Set<String> groupIds) {
    Set<String> covered = new HashSet<>();
    for (int b = 0; b < blocks.size() - 1; b++) { // the last block is the head
      blocks.get(b).getParameters().values().forEach(p -> covered.add(p.getId()));
      if (covered.equals(groupIds)) {
        return b + 1;
      }
      if (!groupIds.containsAll(covered)) {
        return -1;
      }
    }
    return -1;
  }

  /** Null when {@code block} and all inside it compute the same in training and inference. */
  private static String refusal(Block block) {
    switch (block) {
      case BatchNorm2d norm when !norm.usesRunningStatistics() -> {
        return "a BatchNorm layer that trains";
      }
      case Residual residual when residual.dropRate() > 0 && !residual.usesInferenceMode() -> {
        return "a residual block with stochastic depth";
      }
      case BatchNorm2d norm -> {}
      case Residual residual -> {}
      case SequentialBlock sequence -> {}
      case Convolution conv -> {}
      case Linear linear -> {}
      case LambdaBlock lambda -> {}
      case InputNormalization normalization -> {}
      case SamePadding2d padding -> {}
      case Relu6 relu -> {}
      default -> {
        return "a "
            + block.getClass().getName()
            + " layer, which may compute differently while training";
      }
    }
    for (Block child : block.getChildren().values()) {
      String why = refusal(child);
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  private static String blockDigest(Block block) {
    MessageDigest sha = sha256();
    describe(block, sha);
    for (var pair : block.getParameters()) {
      Parameter p = pair.getValue();
      sha.update((pair.getKey() + ":" + p.getType()).getBytes(StandardCharsets.UTF_8));
      if (p.isInitialized()) {
        NDArray values = p.getArray();
        sha.update(values.getShape().toString().getBytes(StandardCharsets.UTF_8));
        sha.update(values.toByteArray());
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void describe(Block block, MessageDigest sha) {
    sha.update(block.getClass().getName().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '(');
    block.getChildren().values().forEach(child -> describe(child, sha));
    sha.update((byte) ')');
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
