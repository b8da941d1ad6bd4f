package dev.thaw.task;

/**
 * A sweep or trial names a data or model location this host does not serve: a path outside the
 * configured roots, or a remote URL while remote models are off. Retrying cannot help. The message
 * names the field and the value as given, never whether anything exists outside the roots.
 */
public class InputRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  /**
   * @param field the field as the caller names it, e.g. {@code task.target.dataset}
   * @param reason what is wrong and what would be accepted, without the field
   */
  public InputRefusedException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  /** The field, e.g. {@code task.source_model}. */
  public String field() {
    return field;
  }

  /** The message without the field. */
  public String reason() {
    return reason;
  }
}
