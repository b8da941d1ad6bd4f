package dev.thaw.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token a client (the CLI, a worker) sends to an orchestrator, and where it came from,
 * for messages.
 *
 * @param value the token
 * @param source {@code THAW_API_TOKEN}, or the file it was read from
 */
public record ClientToken(String value, String source) {

  @Override
  public String toString() {
    return "ClientToken[from " + source + "]"; // never the token itself
  }

  /**
   * The token for {@code role}: the environment variable ({@link TokenRole#envVar()}) when set,
   * else the file a local orchestrator generated ({@link TokenRole#file}) — but the file only when
   * {@code orchestrator} is on this host ({@link Loopback#isLoopbackHost}), so a token generated
   * here never travels to another host. Empty when there is neither.
   *
   * @throws UncheckedIOException when the file exists but cannot be read
   */
  public static Optional<ClientToken> find(
      TokenRole role, URI orchestrator, Map<String, String> env, Path cacheDir) {
    String fromEnv = env.get(role.envVar());
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(new ClientToken(fromEnv.strip(), role.envVar()));
    }
    if (!Loopback.isLoopbackHost(orchestrator.getHost())) {
      return Optional.empty();
    }
    Path file = role.file(cacheDir);
    try {
      return TokenFiles.read(file).map(token -> new ClientToken(token, file.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + role.title() + " from " + file, e);
    }
  }

  /**
   * What to do when the orchestrator refused a call with {@code status} 401 or 403: which token to
   * set, given what was sent.
   */
  public static String hint(
      TokenRole role, int status, Optional<ClientToken> sent, URI orchestrator, Path cacheDir) {
    String set =
        "set " + role.envVar() + " to " + role.title() + " of the orchestrator at " + orchestrator;
    if (sent.isEmpty()) {
      return "no token was sent: "
          + set
          + (Loopback.isLoopbackHost(orchestrator.getHost())
              ? " (a local orchestrator started without it writes it to "
                  + role.file(cacheDir)
                  + "; is THAW_CACHE the same for both?)"
              : " (a token file of this host is sent to localhost only)");
    }
    return "the token from "
        + sent.get().source()
        + (status == 403 ? " is not " + role.title() : " is not one the orchestrator knows")
        + ": "
        + set;
  }
}
