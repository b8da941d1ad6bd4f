package dev.thaw.task;

/**
 * A dataset could not be named, found, downloaded or read. The message always names the problem and
 * the path, file or text involved, so it can be shown to the user as is.
 */
public class DatasetException extends RuntimeException {

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
