package dev.thaw.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads sweep files: read, parse, apply defaults, validate; a file with any error is refused. */
public final class SweepFiles {
  private SweepFiles() {}

  /**
   * Loads a sweep with the given validator.
   *
   * @throws InvalidSweepException naming the file and listing every error
   */
  public static SweepSpec load(Path file, SweepValidator validator) {
    SweepLoader.Loaded loaded = read(file);
    List<SweepError> errors = validator.validate(loaded);
    if (!errors.isEmpty()) {
      throw new InvalidSweepException(file.toString(), errors);
    }
    return loaded.spec();
  }

  /** Every error in a file (empty when it is valid); a missing file is one error. */
  public static List<SweepError> check(Path file, SweepValidator validator) {
    try {
      return validator.validate(read(file));
    } catch (InvalidSweepException e) {
      return e.errors();
    }
  }

  private static SweepLoader.Loaded read(Path file) {
    try {
      return SweepLoader.load(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new InvalidSweepException(
          file.toString(), List.of(SweepError.at("", "file not found")));
    } catch (IOException e) {
      throw new InvalidSweepException(
          file.toString(), List.of(SweepError.at("", "cannot read: " + e.getMessage())));
    }
  }
}
