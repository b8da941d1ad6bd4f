package dev.thaw.mlflow;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An MLflow server's address reduced to what identifies the server: scheme, host and port (the
 * scheme's default when none is written), and path without trailing slashes. Two spellings of one
 * server compare equal ({@code HTTP://LocalHost:80/} and {@code http://localhost}), so a token
 * configured for a server is sent to that server and to no other.
 *
 * @param scheme {@code http} or {@code https}, lower case
 * @param host the host, lower case
 * @param port the port, the scheme's default when none was written
 * @param path the path, empty or starting with {@code /}, no trailing slash
 */
public record TrackingServer(String scheme, String host, int port, String path) {

  /**
   * The server of an address.
   *
   * @throws IllegalArgumentException when it is not an http(s) URI with a host
   */
  public static TrackingServer of(String uri) {
    URI u;
    try {
      u = new URI(uri == null ? "" : uri.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + uri + "' is not a URI: " + e.getReason());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
      throw new IllegalArgumentException(
          "'" + uri + "' is not an http:// or https:// server address");
    }
    int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new TrackingServer(scheme, u.getHost().toLowerCase(Locale.ROOT), port, path);
  }

  /** Whether {@code uri} names this server; false when it is not a server address at all. */
  public boolean is(String uri) {
    try {
      return equals(of(uri));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return scheme + "://" + host + ":" + port + path;
  }
}
