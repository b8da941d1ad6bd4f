package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.task.DatasetException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatasetSplitterTest {

  /**
   * A dataset whose images are 1x1x4 and hold their own index (big-endian), so a split's members
   * can be identified. Images of different classes are interleaved.
   */
  private static LabelledImages dataset(int... classCounts) {
    int total = IntStream.of(classCounts).sum();
    int[] labels = new int[total];
    int[] remaining = classCounts.clone();
    int label = 0;
    for (int i = 0; i < total; i++) {
      while (remaining[label] == 0) {
        label = (label + 1) % classCounts.length;
      }
      labels[i] = label;
      remaining[label]--;
      label = (label + 1) % classCounts.length;
    }
    byte[] pixels = new byte[total * 4];
    for (int i = 0; i < total; i++) {
      pixels[4 * i] = (byte) (i >>> 24);
      pixels[4 * i + 1] = (byte) (i >>> 16);
      pixels[4 * i + 2] = (byte) (i >>> 8);
      pixels[4 * i + 3] = (byte) i;
    }
    List<String> names = IntStream.range(0, classCounts.length).mapToObj(c -> "class" + c).toList();
    return new LabelledImages(1, 1, 4, pixels, labels, names);
  }

  private static int[] ids(LabelledImages images) {
    int[] ids = new int[images.size()];
    byte[] p = images.pixels();
    for (int i = 0; i < ids.length; i++) {
      ids[i] =
          (p[4 * i] & 0xFF) << 24
              | (p[4 * i + 1] & 0xFF) << 16
              | (p[4 * i + 2] & 0xFF) << 8
              | (p[4 * i + 3] & 0xFF);
    }
    return ids;
  }

  private static Set<Integer> idSet(LabelledImages images) {
    Set<Integer> set = new HashSet<>();
    for (int id : ids(images)) {
      set.add(id);
    }
    return set;
  }

  private static final LabelledImages DATA = dataset(100, 50, 30);

  @Test
  void splitsEveryClassInProportion() {
    Split split = DatasetSplitter.split(DATA, SplitSpec.of(7, 0.2));
    assertArrayEquals(new int[] {20, 10, 6}, split.validation().classCounts());
    assertArrayEquals(new int[] {80, 40, 24}, split.train().classCounts());
    assertEquals(DATA.classNames(), split.train().classNames());
  }

  @Test
  void trainAndValidationAreDisjointAndCoverEverythingWithTheirLabels() {
    Split split = DatasetSplitter.split(DATA, SplitSpec.of(7, 0.2));
    Set<Integer> train = idSet(split.train());
    Set<Integer> validation = idSet(split.validation());
    assertTrue(train.stream().noneMatch(validation::contains));
    Set<Integer> all = new HashSet<>(train);
    all.addAll(validation);
    assertEquals(DATA.size(), all.size());
    for (LabelledImages part : List.of(split.train(), split.validation())) {
      int[] ids = ids(part);
      for (int i = 0; i < ids.length; i++) {
        assertEquals(DATA.labels()[ids[i]], part.labels()[i], "label of image " + ids[i]);
      }
      int[] sorted = ids.clone();
      Arrays.sort(sorted);
      assertArrayEquals(sorted, ids, "original order is kept");
    }
  }

  @Test
  void fractionsAreRoundedUpWithoutFloatingPointSurprises() {
    // 0.07 * 100 is 7.000000000000001 in double arithmetic.
    Split split = DatasetSplitter.split(dataset(100, 100), SplitSpec.of(1, 0.07));
    assertArrayEquals(new int[] {7, 7}, split.validation().classCounts());
    Split small = DatasetSplitter.split(dataset(3, 3), SplitSpec.of(1, 0.1));
    assertArrayEquals(new int[] {1, 1}, small.validation().classCounts());
  }

  @Test
  void sameSeedGivesTheSameSplit() {
    SplitSpec spec = new SplitSpec(42, 0.25, 10, 0.5);
    assertEquals(DatasetSplitter.split(DATA, spec), DatasetSplitter.split(DATA, spec));
  }

  @Test
  void differentSeedGivesADifferentSplit() {
    Split a = DatasetSplitter.split(DATA, SplitSpec.of(1, 0.2));
    Split b = DatasetSplitter.split(DATA, SplitSpec.of(2, 0.2));
    assertNotEquals(idSet(a.validation()), idSet(b.validation()));
    assertArrayEquals(a.validation().classCounts(), b.validation().classCounts());
  }

  @Test
  void validationDoesNotDependOnLabelsPerClassOrDataFraction() {
    LabelledImages reference = DatasetSplitter.split(DATA, SplitSpec.of(9, 0.2)).validation();
    for (SplitSpec spec :
        List.of(
            new SplitSpec(9, 0.2, 5, 1.0),
            new SplitSpec(9, 0.2, null, 0.3),
            new SplitSpec(9, 0.2, 1, 0.01))) {
      assertEquals(reference, DatasetSplitter.split(DATA, spec).validation(), spec.toString());
    }
  }

  @Test
  void labelsPerClassCapsTrainingExamplesFromTheFullTrainingSet() {
    Split full = DatasetSplitter.split(DATA, SplitSpec.of(3, 0.2));
    Split few = DatasetSplitter.split(DATA, new SplitSpec(3, 0.2, 5, 1.0));
    assertArrayEquals(new int[] {5, 5, 5}, few.train().classCounts());
    assertTrue(idSet(full.train()).containsAll(idSet(few.train())));
    Split capped = DatasetSplitter.split(DATA, new SplitSpec(3, 0.2, 60, 1.0));
    assertArrayEquals(new int[] {60, 40, 24}, capped.train().classCounts());
  }

  @Test
  void dataFractionKeepsAShareOfEachClassAndAtLeastOne() {
    Split half = DatasetSplitter.split(DATA, new SplitSpec(3, 0.2, null, 0.5));
    assertArrayEquals(new int[] {40, 20, 12}, half.train().classCounts());
    Split both = DatasetSplitter.split(DATA, new SplitSpec(3, 0.2, 5, 0.5));
    assertArrayEquals(new int[] {3, 3, 3}, both.train().classCounts());
    Split tiny = DatasetSplitter.split(DATA, new SplitSpec(3, 0.2, null, 0.01));
    assertArrayEquals(new int[] {1, 1, 1}, tiny.train().classCounts());
  }

  @Test
  void aClassLeftWithoutTrainingExamplesIsNamed() {
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> DatasetSplitter.split(dataset(10, 1), SplitSpec.of(1, 0.2)));
    assertTrue(e.getMessage().contains("class 'class1' has 1 example"), e.getMessage());
    assertTrue(e.getMessage().contains("no training example"), e.getMessage());
  }

  @Test
  void anEmptyClassIsNamed() {
    LabelledImages withEmptyClass =
        new LabelledImages(1, 1, 1, new byte[4], new int[] {0, 0, 1, 1}, List.of("a", "b", "c"));
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> DatasetSplitter.split(withEmptyClass, SplitSpec.of(1, 0.5)));
    assertTrue(e.getMessage().contains("class 'c' has 0 examples"), e.getMessage());
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of(0.0, null, 1.0, "validationFraction must be in (0, 1), got 0.0"),
        Arguments.of(1.0, null, 1.0, "validationFraction must be in (0, 1), got 1.0"),
        Arguments.of(-0.1, null, 1.0, "validationFraction must be in (0, 1), got -0.1"),
        Arguments.of(Double.NaN, null, 1.0, "validationFraction must be in (0, 1), got NaN"),
        Arguments.of(0.2, 0, 1.0, "labelsPerClass must be >= 1 or absent, got 0"),
        Arguments.of(0.2, -3, 1.0, "labelsPerClass must be >= 1 or absent, got -3"),
        Arguments.of(0.2, null, 0.0, "dataFraction must be in (0, 1], got 0.0"),
        Arguments.of(0.2, null, 1.5, "dataFraction must be in (0, 1], got 1.5"),
        Arguments.of(0.2, null, Double.NaN, "dataFraction must be in (0, 1], got NaN"));
  }

  @ParameterizedTest
  @MethodSource("badSpecs")
  void badSpecFieldsAreNamed(
      double validationFraction, Integer labelsPerClass, double dataFraction, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SplitSpec(1, validationFraction, labelsPerClass, dataFraction));
    assertEquals(message, e.getMessage());
  }

  @Test
  void boundaryValuesAreAccepted() {
    SplitSpec spec = new SplitSpec(-5, 0.999, 1, 1.0);
    assertEquals(1, spec.labelsPerClass());
  }
}
