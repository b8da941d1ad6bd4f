package dev.thaw.trial;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * Train-time image augmentation (the trial key {@code augmentation}); validation images are never
 * augmented. Each training image is drawn anew in every epoch, seeded by the trial's seed.
 */
public enum Augmentation {
  /** None (default). */
  NONE(false, false),
  /** Horizontal flip with probability 1/2. */
  FLIP(false, true),
  /**
   * Random resized crop: a box of 35% to 100% of the image's area with an aspect ratio between 3/4
   * and 4/3, resized to the input size.
   */
  CROP(true, false),
  /** Random resized crop, then horizontal flip. */
  CROP_FLIP(true, true);

  private final boolean crop;
  private final boolean flip;

  Augmentation(boolean crop, boolean flip) {
    this.crop = crop;
    this.flip = flip;
  }

  /** True when images are randomly cropped and resized. */
  public boolean crops() {
    return crop;
  }

  /** True when images are randomly flipped left to right. */
  public boolean flips() {
    return flip;
  }

  /** The key in trial and sweep files, e.g. {@code crop_flip}. */
  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every key, e.g. for messages. */
  public static String keys() {
    return String.join(", ", Arrays.stream(values()).map(Augmentation::key).toList());
  }

  /** Reads a key such as {@code flip}. */
  @JsonCreator
  public static Augmentation parse(String key) {
    for (Augmentation a : values()) {
      if (a.key().equals(key)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown augmentation '" + key + "'; use " + keys());
  }
}
