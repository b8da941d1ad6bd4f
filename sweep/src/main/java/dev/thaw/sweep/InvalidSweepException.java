package dev.thaw.sweep;

import java.util.List;
import java.util.stream.Collectors;

/** A sweep file that cannot run, with every problem found in it. */
public class InvalidSweepException extends RuntimeException {
  private final transient List<SweepError> errors;

  /**
   * @param origin the file (or other source) the sweep came from
   * @param errors every problem, in file order
   */
  public InvalidSweepException(String origin, List<SweepError> errors) {
    super(
        "invalid sweep file "
            + origin
            + " ("
            + errors.size()
            + (errors.size() == 1 ? " error" : " errors")
            + "):\n"
            + errors.stream().map(e -> "  - " + e).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  /** Every problem, in file order. */
  public List<SweepError> errors() {
    return errors;
  }
}
