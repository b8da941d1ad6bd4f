package dev.thaw.orchestrator.auth;

import dev.thaw.auth.Loopback;
import dev.thaw.auth.TokenFiles;
import dev.thaw.auth.TokenRole;
import dev.thaw.data.ThawPaths;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The API's two bearer tokens, resolved once at start-up.
 *
 * <p>Each comes from its setting ({@code THAW_API_TOKEN}, {@code THAW_WORKER_TOKEN}); one that is
 * not set is generated on the first start into the Thaw cache ({@code
 * $THAW_CACHE/orchestrator/api-token}, {@code worker-token}, mode 0600) and read from there on
 * later starts, where the CLI and local workers of the same user find it. Generated tokens are only
 * for an orchestrator that listens on loopback ({@code quarkus.http.host}): on any other address,
 * both tokens must be set, or the orchestrator refuses to start.
 */
@Startup
@Singleton
public class ApiTokens {
  private static final Logger LOG = Logger.getLogger(ApiTokens.class);

  private final Map<TokenRole, byte[]> digests = new EnumMap<>(TokenRole.class);

  @Inject
  ApiTokens(AuthSettings settings, @ConfigProperty(name = "quarkus.http.host") String host) {
    this(resolve(settings.apiToken(), settings.workerToken(), host, ThawPaths.cacheDir()));
  }

  /** Tokens as given (for tests and tools). */
  public ApiTokens(Map<TokenRole, String> tokens) {
    for (TokenRole role : TokenRole.values()) {
      String token = tokens.get(role);
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("no " + role.title());
      }
      digests.put(role, sha256(token));
    }
    if (MessageDigest.isEqual(digests.get(TokenRole.API), digests.get(TokenRole.WORKER))) {
      throw new ConfigurationException(
          "THAW_API_TOKEN and THAW_WORKER_TOKEN are the same token: a worker could then submit and"
              + " cancel sweeps; give each its own (e.g. openssl rand -base64 32)");
    }
  }

  /**
   * The role of a presented token, compared in constant time (digests of equal length through
   * {@link MessageDigest#isEqual}); empty for an unknown token.
   */
  public Optional<TokenRole> roleOf(String presented) {
    byte[] digest = sha256(presented);
    Optional<TokenRole> found = Optional.empty();
    for (TokenRole role : TokenRole.values()) {
      if (MessageDigest.isEqual(digest, digests.get(role))) {
        found = Optional.of(role); // no early exit: both are always compared
      }
    }
    return found;
  }

  /**
   * The tokens: set ones as they are, missing ones from (or generated into) their files under
   * {@code cacheDir} — the latter only when {@code host} is a loopback address.
   *
   * @throws ConfigurationException when a token is missing and {@code host} is not loopback
   */
  static Map<TokenRole, String> resolve(
      Optional<String> apiToken, Optional<String> workerToken, String host, Path cacheDir) {
    Map<TokenRole, Optional<String>> configured = new EnumMap<>(TokenRole.class);
    configured.put(TokenRole.API, apiToken.map(String::strip).filter(t -> !t.isEmpty()));
    configured.put(TokenRole.WORKER, workerToken.map(String::strip).filter(t -> !t.isEmpty()));
    boolean allSet = configured.values().stream().allMatch(Optional::isPresent);
    if (!allSet && !Loopback.bindsLoopbackOnly(host)) {
      // A ConfigurationException: Quarkus prints its message alone, without a stack trace.
      throw new ConfigurationException(
          "refusing to listen on "
              + host
              + " without tokens: anyone who reaches it could submit sweeps and lease trials. Set"
              + " THAW_API_TOKEN and THAW_WORKER_TOKEN (each e.g. openssl rand -base64 32), or"
              + " listen on 127.0.0.1 (./thaw serve --host 127.0.0.1, the default)"
              + " where tokens are generated into "
              + TokenRole.API.file(cacheDir).getParent());
    }
    Map<TokenRole, String> tokens = new EnumMap<>(TokenRole.class);
    for (TokenRole role : TokenRole.values()) {
      Optional<String> set = configured.get(role);
      if (set.isPresent()) {
        tokens.put(role, set.get());
        LOG.infof("%s: from %s", capitalized(role), role.envVar());
      } else {
        Path file = role.file(cacheDir);
        tokens.put(role, TokenFiles.readOrCreate(file));
        LOG.infof(
            "%s: %s not set, using %s (read by the CLI and workers on this host)",
            capitalized(role), role.envVar(), file);
      }
    }
    return tokens;
  }

  private static String capitalized(TokenRole role) {
    return Character.toUpperCase(role.title().charAt(0)) + role.title().substring(1);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
