package dev.thaw.trial;

import java.util.List;

/** A trial spec that cannot run, with every problem found, each naming its field and value. */
public class InvalidTrialSpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<String> errors;

  public InvalidTrialSpecException(String origin, List<String> errors) {
    super("invalid trial spec " + origin + ":\n  - " + String.join("\n  - ", errors));
    this.errors = List.copyOf(errors);
  }

  /** The problems, one line each, e.g. {@code batch_size: must be >= 1 (got 0)}. */
  public List<String> errors() {
    return errors;
  }
}
