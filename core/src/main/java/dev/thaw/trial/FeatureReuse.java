package dev.thaw.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.thaw.json.ThawJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What a worker's frozen-prefix feature cache can give a trial, named the same way on both sides of
 * the lease protocol. A worker names what it holds by hints, {@code TASK@DEPTH}: the outputs of the
 * first DEPTH layer groups for one task, where the task is what those outputs depend on besides the
 * depth and is known from a trial spec alone (source model, target data and its split, input size).
 * The orchestrator reads the same task from a queued trial's spec and prefers a trial that reuses a
 * held prefix ({@link #reusableDepth}).
 *
 * <p>A hint is only a hint: the worker's cache checks the model's weights and the images by digest
 * before it uses anything, so a wrong hint costs time, never a wrong result.
 */
public final class FeatureReuse {
  /** At most this many hints in one lease request or heartbeat. */
  public static final int MAX_HINTS = 64;

  private static final Pattern HINT = Pattern.compile("[0-9a-f]{16}@[0-9]{1,3}");

  private FeatureReuse() {}

  /**
   * The task of a trial: 16 hex digits of SHA-256 over its source model, its target with the split
   * seed it runs with, and its input size.
   */
  public static String task(TrialSpec spec) {
    TargetSpec target = spec.target();
    if (target != null) {
      target = target.withSplitSeed(target.splitSeedOr(spec.seed()));
    }
    try {
      String text =
          spec.sourceModel()
              + "\n"
              + ThawJson.mapper().writeValueAsString(target)
              + "\n"
              + spec.inputSize();
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha, 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot name the task of trial " + spec.id(), e);
    }
  }

  /** The hint for the outputs of the first {@code depth} groups of {@code task}. */
  public static String hint(String task, int depth) {
    return task + "@" + depth;
  }

  /** Whether {@code text} is a hint as {@link #hint} writes it. */
  public static boolean isHint(String text) {
    return text != null && HINT.matcher(text).matches();
  }

  /**
   * The deepest held prefix one of the trial's stages can start from, or -1 when none; see {@link
   * Demand#deepestIn}.
   */
  public static int reusableDepth(TrialSpec spec, Collection<String> held) {
    Demand demand = demand(spec);
    return demand == null ? -1 : demand.deepestIn(held);
  }

  /**
   * What a trial could take from a cache, or null when nothing: a trial with train-time
   * augmentation sees new images every epoch and reuses no prefix.
   */
  public static Demand demand(TrialSpec spec) {
    if (spec.augmentationOrNone() != Augmentation.NONE) {
      return null;
    }
    // A warm-up freezes every group; gradual unfreezing starts with all but the top one frozen.
    int limit =
        spec.warmupEpochs() > 0 || spec.unfreezeEvery() != null
            ? Integer.MAX_VALUE
            : spec.freezeDepth().groups();
    return new Demand(task(spec), limit);
  }

  /**
   * The prefixes a trial's stages could start from.
   *
   * @param task the trial's task ({@link #task})
   * @param maxDepth the deepest prefix a stage can use: a stage with k frozen groups can start from
   *     a prefix of any depth up to k; the fine-tuning stage has the trial's freeze depth, a
   *     head-only warm-up freezes every group and gradual unfreezing all but the top one (any depth
   *     serves them)
   */
  public record Demand(String task, int maxDepth) {
    /** The deepest prefix in {@code held} this trial can start from, or -1 when none. */
    public int deepestIn(Collection<String> held) {
      String prefix = task + "@";
      int best = -1;
      for (String h : held) {
        if (h.startsWith(prefix)) {
          int depth = Integer.parseInt(h.substring(prefix.length()));
          if (depth > 0 && depth <= maxDepth && depth > best) {
            best = depth;
          }
        }
      }
      return best;
    }
  }
}
