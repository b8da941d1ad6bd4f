package dev.thaw.mlflow;

/** A call to the MLflow server failed: retry later, or {@link #permanent()}: refused for good. */
final class CallFailed extends Exception {
  private final boolean permanent;

  CallFailed(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  /** True when the server refused the request itself: sending it again cannot help. */
  boolean permanent() {
    return permanent;
  }

  /** 4xx but 401, 403, 408 and 429: the request itself is wrong (bad value, unknown run). */
  static boolean permanentStatus(int status) {
    return status >= 400
        && status < 500
        && status != 401
        && status != 403
        && status != 408
        && status != 429;
  }
}
