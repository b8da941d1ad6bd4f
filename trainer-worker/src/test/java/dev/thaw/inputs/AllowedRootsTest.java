package dev.thaw.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.task.InputRefusedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Paths inside the roots pass as their real paths; everything else gets one and the same answer.
 */
class AllowedRootsTest {
  @TempDir Path tmp;
  Path root;
  Path outside;
  AllowedRoots roots;

  @BeforeEach
  void layout() throws IOException {
    root = Files.createDirectories(tmp.resolve("data"));
    Files.createDirectories(root.resolve("pets/cats"));
    outside = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(outside.resolve("key"), "secret");
    roots = new AllowedRoots("data", "thaw.data.roots", List.of(root, tmp.resolve("more")));
  }

  /** The refusal with the value as given blanked out, to compare refusals of different values. */
  private String refusal(String given, Path path) {
    InputRefusedException e =
        assertThrows(
            InputRefusedException.class,
            () -> roots.resolve("task.target.dataset", given, path),
            given + " was admitted");
    assertEquals("task.target.dataset", e.field());
    assertTrue(
        e.getMessage().startsWith("task.target.dataset: '" + given + "' is outside"),
        e.getMessage());
    return e.getMessage().replace("'" + given + "'", "'VALUE'");
  }

  static Stream<Arguments> outsidePaths() {
    return Stream.of(
        Arguments.of("folder:/etc", Path.of("/etc")),
        Arguments.of("folder:/root/.ssh", Path.of("/root/.ssh")),
        Arguments.of("folder:../../", Path.of("../../")),
        Arguments.of("folder:pets/../../secrets", Path.of("pets/../../secrets")),
        Arguments.of("folder:/no/such/folder", Path.of("/no/such/folder")),
        Arguments.of("folder:/etc/passwd", Path.of("/etc/passwd")));
  }

  @ParameterizedTest
  @MethodSource("outsidePaths")
  void aPathOutsideTheRootsIsRefusedWithTheSameMessageWhetherOrNotItExists(
      String given, Path path) {
    String expected = refusal("folder:/no/such/folder", Path.of("/no/such/folder"));
    assertEquals(expected, refusal(given, path));
    assertTrue(expected.contains("(" + root + ", " + tmp.resolve("more") + ")"), expected);
    assertTrue(expected.contains("relative paths are taken from " + root), expected);
    assertTrue(expected.contains("thaw.data.roots"), expected);
  }

  @Test
  void aSymlinkInsideARootThatPointsOutsideIsRefusedLikeAnyOutsidePath() throws IOException {
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("pets/key"), outside.resolve("key"));
    Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("not-yet"));
    String expected = refusal("folder:/no/such/folder", Path.of("/no/such/folder"));

    assertEquals(expected, refusal("folder:escape", Path.of("escape")));
    assertEquals(expected, refusal("folder:escape/key", Path.of("escape/key")));
    assertEquals(expected, refusal("folder:escape/missing", Path.of("escape/missing")));
    assertEquals(expected, refusal("folder:pets/key", root.resolve("pets/key")));
    assertEquals(expected, refusal("folder:dangling", Path.of("dangling")));
  }

  @Test
  void aPathInsideARootResolvesToItsRealPath() throws IOException {
    Path real = root.toRealPath().resolve("pets");
    assertEquals(real, roots.resolve("f", "folder:pets", Path.of("pets")));
    assertEquals(real, roots.resolve("f", "folder:" + root + "/pets", root.resolve("pets")));
    assertEquals(real, roots.resolve("f", "x", root.resolve("pets/cats/..")));
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("pets"));
    assertEquals(real, roots.resolve("f", "folder:alias", Path.of("alias")));
  }

  @Test
  void aPathInsideARootThatDoesNotExistYetIsAdmitted() throws IOException {
    assertEquals(root.toRealPath().resolve("new/sub"), roots.resolve("f", "x", Path.of("new/sub")));
    // The second root does not exist at all.
    assertEquals(
        tmp.toRealPath().resolve("more/pets"), roots.resolve("f", "x", tmp.resolve("more/pets")));
  }

  @Test
  void aSiblingWhoseNameStartsLikeARootIsOutside() throws IOException {
    Files.createDirectories(tmp.resolve("data-evil"));
    String expected = refusal("folder:/no/such/folder", Path.of("/no/such/folder"));
    assertEquals(expected, refusal("x", tmp.resolve("data-evil")));
  }

  @Test
  void aRootThatIsASymlinkAdmitsPathsWrittenEitherWay() throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("data-link"), root);
    AllowedRoots linked = new AllowedRoots("data", "s", List.of(link));
    Path real = root.toRealPath().resolve("pets");
    assertEquals(real, linked.resolve("f", "x", Path.of("pets")));
    assertEquals(real, linked.resolve("f", "x", link.resolve("pets")));
    assertEquals(real, linked.resolve("f", "x", root.resolve("pets")));
  }

  @Test
  void withoutRootsEverythingIsRefused() {
    AllowedRoots none = new AllowedRoots("model", "thaw.models.roots", List.of());
    InputRefusedException e =
        assertThrows(
            InputRefusedException.class,
            () -> none.resolve("f", "/models/a", Path.of("/models/a")));
    assertEquals(
        "f: '/models/a' is refused: no model roots are configured (set thaw.models.roots)",
        e.getMessage());
  }

  @Test
  void configuredRootsAreSeparatedByCommasOrColonsAndMayStartWithTheHome() {
    String home = System.getProperty("user.home");
    assertEquals(
        List.of(Path.of("/a"), Path.of("/b"), Path.of(home, "c"), Path.of("/d")),
        AllowedRoots.parse(List.of("/a, /b:~/c", "", "/d")));
  }
}
