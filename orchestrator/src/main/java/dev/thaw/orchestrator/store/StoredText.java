package dev.thaw.orchestrator.store;

/**
 * Free text bound for a column of limited width (a failure reason a worker sent, a stop reason that
 * quotes one): cut to fit, marked as cut, so that a long text never fails the write it goes with.
 */
public final class StoredText {
  /** Width of the reason and message columns. */
  public static final int REASON = 2000;

  private static final String CUT = " [...]";

  private StoredText() {}

  /** The text, cut to {@link #REASON} characters when longer; null stays null. */
  public static String reason(String text) {
    return clip(text, REASON);
  }

  /** The text, cut to {@code max} characters (the last ones saying it was cut) when longer. */
  public static String clip(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max - CUT.length()) + CUT;
  }
}
