package dev.thaw.cli;

import java.io.PrintWriter;

/**
 * A line that shows the latest state of something: redrawn in place with {@code \r} on a terminal,
 * a new line per change otherwise (CI logs, files: an unchanged state is not printed again).
 */
final class LiveLine {
  private final PrintWriter out;
  private final boolean inPlace;
  private int shown;
  private String last;

  /**
   * @param inPlace redraw with {@code \r} (see {@link #isTerminal()})
   */
  LiveLine(PrintWriter out, boolean inPlace) {
    this.out = out;
    this.inPlace = inPlace;
  }

  void show(String text) {
    if (inPlace) {
      int clear = Math.max(0, shown - text.length());
      out.print("\r" + text + " ".repeat(clear));
      shown = text.length();
    } else if (!text.equals(last)) {
      out.println(text);
    }
    last = text;
    out.flush();
  }

  /** Ends an in-place line, so what follows starts on a line of its own. */
  void finish() {
    if (inPlace && shown > 0) {
      out.println();
      out.flush();
    }
    shown = 0;
    last = null;
  }

  /**
   * Whether standard output is a terminal. Since JDK 22 {@code System.console()} is not null for
   * redirected streams too, so there {@code Console.isTerminal()} decides.
   */
  static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only for a terminal
    }
  }
}
