package dev.thaw.cli;

import dev.thaw.protocol.ApiError;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;

/**
 * A call to the orchestrator that did not work: it could not be reached, or it answered with an
 * error. The message names the method and URL.
 */
final class OrchestratorException extends RuntimeException {
  private final URI url;
  private final int status;
  private final transient ApiError error;

  private OrchestratorException(
      String message, URI url, int status, ApiError error, Throwable cause) {
    super(message, cause);
    this.url = url;
    this.status = status;
    this.error = error;
  }

  /** The orchestrator could not be reached (refused, unknown host, timed out). */
  static OrchestratorException unreachable(String method, URI url, Throwable cause) {
    return new OrchestratorException(
        "cannot reach the orchestrator: "
            + method
            + " "
            + url
            + " failed ("
            + describe(cause)
            + "); is it running? Point --orchestrator or THAW_ORCHESTRATOR at it",
        url,
        0,
        null,
        cause);
  }

  /** The orchestrator answered {@code status} with an {@link ApiError} body. */
  static OrchestratorException replied(String method, URI url, int status, ApiError error) {
    StringBuilder s =
        new StringBuilder()
            .append(method)
            .append(' ')
            .append(url)
            .append(": ")
            .append(status)
            .append(' ')
            .append(error.error())
            .append(": ")
            .append(error.message());
    error.details().forEach(d -> s.append("\n  - ").append(d));
    return new OrchestratorException(s.toString(), url, status, error, null);
  }

  /**
   * The orchestrator refused the call's token (401: none or unknown; 403: a token of the wrong
   * role), with what to set.
   */
  static OrchestratorException refusedToken(
      String method, URI url, int status, ApiError error, String hint) {
    String said = error == null ? "" : " " + error.error() + ": " + error.message();
    return new OrchestratorException(
        method + " " + url + ": " + status + said + "\n  " + hint, url, status, error, null);
  }

  /** The orchestrator (or something in front of it) answered without an {@link ApiError}. */
  static OrchestratorException unexpected(String method, URI url, int status, String body) {
    String excerpt = body.strip().replaceAll("\\s+", " ");
    if (excerpt.length() > 200) {
      excerpt = excerpt.substring(0, 200) + "...";
    }
    return new OrchestratorException(
        method
            + " "
            + url
            + ": unexpected reply "
            + status
            + (excerpt.isEmpty() ? "" : ": " + excerpt)
            + "; is this a Thaw orchestrator?",
        url,
        status,
        null,
        null);
  }

  URI url() {
    return url;
  }

  /** The HTTP status, or 0 when the orchestrator was not reached. */
  int status() {
    return status;
  }

  /** The error code of an {@link ApiError} reply, or null. */
  String code() {
    return error == null ? null : error.error();
  }

  /** The details of an {@link ApiError} reply (e.g. every validation error), possibly empty. */
  List<String> details() {
    return error == null ? List.of() : error.details();
  }

  /** A wrong URL, a stopped orchestrator, an unknown id or a bad file: not a bug in Thaw. */
  boolean userError() {
    return status == 0 || (status >= 400 && status < 500);
  }

  /** The cause in a few words: HttpClient's connect failures often carry no message. */
  static String describe(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host";
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return "connection timed out";
      }
      if (t instanceof HttpTimeoutException) {
        return "no reply in time";
      }
      if (t instanceof ConnectException) {
        return t.getMessage() == null ? "connection refused" : t.getMessage();
      }
      if (t instanceof InterruptedException) {
        return "interrupted";
      }
    }
    return cause.getMessage() == null
        ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
