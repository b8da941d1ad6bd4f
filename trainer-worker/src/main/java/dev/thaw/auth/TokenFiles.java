package dev.thaw.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Token files of a local orchestrator: one token per file, readable by its owner only (0600), made
 * once and reused, so the CLI and local workers of the same user find them with no set-up.
 */
public final class TokenFiles {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private TokenFiles() {}

  /** A new random token: 32 bytes from {@link SecureRandom}, base64url without padding. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The token in {@code file}, or a new one written there (0600, in a folder made 0700 if new). A
   * file that others may read is made 0600 again. A file that is empty is an error, not silently
   * replaced: someone put it there.
   *
   * @throws UncheckedIOException when the file cannot be read or written, naming it
   */
  public static String readOrCreate(Path file) {
    try {
      Optional<String> existing = read(file);
      if (existing.isPresent()) {
        restrict(file);
        return existing.get();
      }
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        setPermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      String token = generate();
      Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".new");
      try {
        setPermissions(temp, OWNER_ONLY);
        Files.writeString(temp, token + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, file); // never replaces: a token made meanwhile by another start wins
        return token;
      } catch (FileAlreadyExistsException e) {
        return read(file).orElseThrow(() -> new IOException(file + " is empty"));
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the token file " + file + ": " + e, e);
    }
  }

  /**
   * The token in {@code file}; empty when there is no such file.
   *
   * @throws IOException when it exists but cannot be read, or holds no token
   */
  public static Optional<String> read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String token = text.strip();
    if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
      throw new IOException(
          file + " holds no token (one line expected); delete it to have a new one made");
    }
    return Optional.of(token);
  }

  private static void restrict(Path file) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view != null && !view.readAttributes().permissions().equals(OWNER_ONLY)) {
      view.setPermissions(OWNER_ONLY);
    }
  }

  private static void setPermissions(Path path, Set<PosixFilePermission> permissions)
      throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view != null) {
      view.setPermissions(permissions);
    }
  }
}
