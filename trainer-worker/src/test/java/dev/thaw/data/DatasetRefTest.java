package dev.thaw.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.task.DatasetException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatasetRefTest {

  static Stream<Arguments> builtins() {
    return Stream.of(
        Arguments.of("fashion-mnist", "fashion-mnist", null, "fashion-mnist"),
        Arguments.of("mnist", "mnist", null, "mnist"),
        Arguments.of("  MNIST ", "mnist", null, "mnist"),
        Arguments.of(
            "fashion-mnist[0-4]", "fashion-mnist", new int[] {0, 1, 2, 3, 4}, "fashion-mnist[0-4]"),
        Arguments.of("mnist[0,2,5-7]", "mnist", new int[] {0, 2, 5, 6, 7}, "mnist[0,2,5-7]"),
        Arguments.of("mnist[ 3, 1 ]", "mnist", new int[] {3, 1}, "mnist[3,1]"),
        Arguments.of("mnist[0,1,2,9]", "mnist", new int[] {0, 1, 2, 9}, "mnist[0-2,9]"));
  }

  @ParameterizedTest
  @MethodSource("builtins")
  void parsesBuiltins(String text, String name, int[] classes, String canonical) {
    DatasetRef.Builtin ref = assertInstanceOf(DatasetRef.Builtin.class, DatasetRef.parse(text));
    assertEquals(name, ref.name());
    assertArrayEquals(classes, ref.classes());
    assertEquals(canonical, ref.toString());
    assertEquals(ref, DatasetRef.parse(ref.toString()));
  }

  static Stream<Arguments> folders() {
    String home = System.getProperty("user.home");
    return Stream.of(
        Arguments.of("folder:/data/pets", Path.of("/data/pets")),
        Arguments.of("folder: relative-pets", Path.of("relative-pets")),
        Arguments.of("/data/pets", Path.of("/data/pets")),
        Arguments.of("data/pets", Path.of("data/pets")),
        Arguments.of("./pets", Path.of("./pets")),
        Arguments.of("~/pets", Path.of(home, "pets")),
        Arguments.of("folder:~/pets", Path.of(home, "pets")),
        Arguments.of("~", Path.of(home)));
  }

  @ParameterizedTest
  @MethodSource("folders")
  void parsesFolders(String text, Path dir) {
    DatasetRef.ImageFolder ref =
        assertInstanceOf(DatasetRef.ImageFolder.class, DatasetRef.parse(text));
    assertEquals(dir, ref.dir());
    assertEquals("folder:" + dir, ref.toString());
    assertEquals(ref, DatasetRef.parse(ref.toString()));
  }

  static Stream<Arguments> badReferences() {
    return Stream.of(
        Arguments.of(
            "fashon-mnist",
            List.of(
                "unknown built-in dataset 'fashon-mnist'",
                "built-ins are: fashion-mnist, mnist, tweet-sentiment, spam-assassin",
                "did you mean 'fashion-mnist'?")),
        Arguments.of(
            "fashion_mnist[0-4]",
            List.of("unknown built-in dataset 'fashion_mnist'", "did you mean 'fashion-mnist'?")),
        Arguments.of("mnst", List.of("unknown built-in dataset 'mnst'", "did you mean 'mnist'?")),
        Arguments.of(
            "fashion",
            List.of("unknown built-in dataset 'fashion'", "did you mean 'fashion-mnist'?")),
        Arguments.of(
            "mnist[4-2]",
            List.of("bad class range '4-2' in 'mnist[4-2]'", "start is greater than end")),
        Arguments.of(
            "fashion-mnist[0-10]",
            List.of("class 10 in 'fashion-mnist[0-10]' is out of range", "classes 0-9")),
        Arguments.of("mnist[a]", List.of("bad class 'a' in 'mnist[a]'", "range like 0-4")),
        Arguments.of("mnist[-1,2]", List.of("bad class '-1' in 'mnist[-1,2]'")),
        Arguments.of("mnist[1,,2]", List.of("bad class '' in 'mnist[1,,2]'")),
        Arguments.of("mnist[0-4,3]", List.of("class 3 appears twice in 'mnist[0-4,3]'")),
        Arguments.of("mnist[2,2]", List.of("class 2 appears twice in 'mnist[2,2]'")),
        Arguments.of("mnist[]", List.of("empty class list in 'mnist[]'")),
        Arguments.of("mnist[0-4", List.of("'mnist[0-4' must end with ']'")),
        Arguments.of("mnist[0-4]x", List.of("'mnist[0-4]x' must end with ']'")),
        Arguments.of("mnist[3]", List.of("'mnist[3]' selects 1 class; at least 2 are needed")),
        Arguments.of("   ", List.of("dataset reference is empty", "folder:/path/to/images")),
        Arguments.of("folder:", List.of("'folder:' has no path")));
  }

  @ParameterizedTest
  @MethodSource("badReferences")
  void rejectsBadReferencesWithAMessageNamingThem(String text, List<String> fragments) {
    DatasetException e = assertThrows(DatasetException.class, () -> DatasetRef.parse(text));
    for (String fragment : fragments) {
      assertTrue(
          e.getMessage().contains(fragment),
          () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }
  }

  @Test
  void offersNoSuggestionForAFarName() {
    DatasetException e = assertThrows(DatasetException.class, () -> DatasetRef.parse("cifar10"));
    assertEquals(
        "unknown built-in dataset 'cifar10'; built-ins are: fashion-mnist, mnist, tweet-sentiment, spam-assassin",
        e.getMessage());
  }

  @Test
  void nullIsRejected() {
    assertThrows(DatasetException.class, () -> DatasetRef.parse(null));
  }

  @Test
  void builtinConstructorValidatesAndCopies() {
    assertThrows(DatasetException.class, () -> new DatasetRef.Builtin("mnist", new int[] {1, 1}));
    assertThrows(DatasetException.class, () -> new DatasetRef.Builtin("cifar", null));
    int[] classes = {1, 2};
    DatasetRef.Builtin ref = new DatasetRef.Builtin("MNIST", classes);
    classes[0] = 7;
    ref.classes()[1] = 9;
    assertArrayEquals(new int[] {1, 2}, ref.classes());
    assertEquals("mnist", ref.name());
    assertEquals(BuiltinDataset.MNIST, ref.dataset());
    assertNull(new DatasetRef.Builtin("mnist", null).classes());
    assertFalse(ref.equals(new DatasetRef.Builtin("mnist", new int[] {2, 1})));
  }
}
