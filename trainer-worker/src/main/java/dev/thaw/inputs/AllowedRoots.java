package dev.thaw.inputs;

import dev.thaw.task.InputRefusedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Directories that the paths a sweep names must stay inside, symlinks followed.
 *
 * <p>{@link #resolve} takes a relative path against the {@linkplain #base() base}, the first root,
 * and normalises it lexically ({@code .} and {@code ..} removed). A path outside every root is then
 * refused without touching the file system. A path inside is resolved to its real path: that of its
 * deepest existing ancestor, symlinks followed, plus the names below it that do not exist yet. If
 * that lies outside every root (a symlink pointing out, a dangling or looping one), it is refused
 * too, with the very same message, so the answer never tells whether something outside the roots
 * exists. What passes is the real path, and that is what the caller should open.
 *
 * <p>Roots are compared both as written and as real paths, so a root that is itself a symlink
 * ({@code /data -> /mnt/disk1/data}) admits paths written either way. Roots are resolved at each
 * call: a root created after start-up counts from then on. Files inside a root are trusted: a
 * symlink that someone with write access put below an admitted folder is followed.
 */
public final class AllowedRoots {
  private final String what;
  private final String setting;
  private final List<Path> roots;

  /**
   * @param what what the roots hold, for messages: {@code data} or {@code model}
   * @param setting how to configure them, for messages, e.g. {@code thaw.data.roots
   *     (THAW_DATA_ROOTS)}
   * @param roots the roots; relative ones are taken against the working directory
   */
  public AllowedRoots(String what, String setting, List<Path> roots) {
    this.what = what;
    this.setting = setting;
    this.roots = roots.stream().map(r -> r.toAbsolutePath().normalize()).distinct().toList();
  }

  /**
   * Reads a list of roots as configured: entries separated by commas or colons, blanks ignored,
   * {@code ~} or a leading {@code ~/} is the home directory.
   */
  public static List<Path> parse(Collection<String> entries) {
    List<Path> paths = new ArrayList<>();
    for (String entry : entries) {
      for (String part : entry.split("[,:]")) {
        String p = part.strip();
        if (p.isEmpty()) {
          continue;
        }
        if (p.equals("~") || p.startsWith("~/")) {
          p = System.getProperty("user.home") + p.substring(1);
        }
        paths.add(Path.of(p));
      }
    }
    return paths;
  }

  /** The roots, absolute and normalised, in the configured order. */
  public List<Path> roots() {
    return roots;
  }

  /** What relative paths are taken against: the first root (null when there is none). */
  public Path base() {
    return roots.isEmpty() ? null : roots.get(0);
  }

  /**
   * The real path of {@code path} if it lies inside a root, symlinks followed.
   *
   * @param field the field that named it, for the message ({@code task.target.dataset})
   * @param given the value as written in that field ({@code folder:../../etc})
   * @param path the path it names; a relative one is taken against {@link #base()}
   * @throws InputRefusedException with the same message whether or not the path exists
   */
  public Path resolve(String field, String given, Path path) {
    if (roots.isEmpty()) {
      throw new InputRefusedException(
          field,
          "'" + given + "' is refused: no " + what + " roots are configured (set " + setting + ")");
    }
    Path lexical = base().resolve(path).normalize();
    List<Path> realRoots = new ArrayList<>();
    for (Path root : roots) {
      Path real = realPath(root);
      if (real != null) {
        realRoots.add(real);
      }
    }
    if (!inside(lexical, roots) && !inside(lexical, realRoots)) {
      throw refused(field, given);
    }
    Path real = realPath(lexical);
    if (real == null || !inside(real, realRoots)) {
      throw refused(field, given);
    }
    return real;
  }

  /** The roots, comma-separated, for messages. */
  public String listing() {
    return roots.stream().map(Path::toString).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return what + " roots " + listing();
  }

  private InputRefusedException refused(String field, String given) {
    return new InputRefusedException(
        field,
        "'"
            + given
            + "' is outside the "
            + what
            + " roots ("
            + listing()
            + "); relative paths are taken from "
            + base()
            + ". Put it under one of them, or add a root with "
            + setting);
  }

  private static boolean inside(Path path, List<Path> roots) {
    return roots.stream().anyMatch(path::startsWith);
  }

  /**
   * The real path of the deepest existing ancestor of {@code path} (absolute, normalised), symlinks
   * followed, with the missing names appended; null when an existing entry cannot be resolved (a
   * dangling or looping symlink, no permission).
   */
  private static Path realPath(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException | SecurityException e) {
      return null;
    }
    return real.resolve(existing.relativize(path));
  }
}
