package dev.thaw.train.features;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a set of cached features is the output of: a network's first blocks up to the end of group
 * g(depth-1), their weights and structure (the source model), run in inference mode on one part of
 * one data split at one input shape.
 *
 * @param prefixDigest SHA-256 of the prefix's block types, parameter names, shapes and values
 *     (input normalisation included): the same source model cut at the same depth
 * @param depth the number of frozen groups the prefix holds
 * @param dataDigest SHA-256 of the images and labels of this part of the split
 * @param input the input transform: the image shape fed to the network, e.g. {@code 3x96x96}
 * @param part training or validation images
 */
public record FeatureKey(
    String prefixDigest, int depth, String dataDigest, String input, Part part) {

  /** Which images of the split. */
  public enum Part {
    TRAIN,
    VALIDATION
  }

  /** A name unique to this key, safe as a file name: 64 hex digits. */
  public String id() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String text = prefixDigest + "|" + depth + "|" + dataDigest + "|" + input + "|" + part;
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "depth " + depth + " " + part.name().toLowerCase(java.util.Locale.ROOT) + " " + input;
  }
}
