package dev.thaw.orchestrator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.auth.TokenRole;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the orchestrator's tokens come from, and when it refuses to start. */
class ApiTokensTest {
  @TempDir Path cache;

  @Test
  void onLoopbackUnsetTokensAreGeneratedIntoOwnerOnlyFilesAndReused() throws IOException {
    Map<TokenRole, String> first =
        ApiTokens.resolve(Optional.empty(), Optional.empty(), "127.0.0.1", cache);
    Path api = cache.resolve("orchestrator/api-token");
    Path worker = cache.resolve("orchestrator/worker-token");
    assertEquals(first.get(TokenRole.API), Files.readString(api).strip());
    assertEquals(first.get(TokenRole.WORKER), Files.readString(worker).strip());
    assertNotEquals(first.get(TokenRole.API), first.get(TokenRole.WORKER));
    for (Path file : new Path[] {api, worker}) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
    assertEquals(
        first,
        ApiTokens.resolve(Optional.empty(), Optional.empty(), "localhost", cache),
        "a restart reuses them");
  }

  @Test
  void setTokensWinAndOnlyTheMissingOneIsGenerated() {
    Map<TokenRole, String> tokens =
        ApiTokens.resolve(Optional.of(" api-set "), Optional.of(""), "127.0.0.1", cache);
    assertEquals("api-set", tokens.get(TokenRole.API));
    assertFalse(Files.exists(cache.resolve("orchestrator/api-token")));
    assertTrue(Files.exists(cache.resolve("orchestrator/worker-token")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10"})
  void anotherAddressWithoutBothTokensRefusesToStart(String host) {
    for (Optional<String> api : java.util.List.of(Optional.<String>empty(), Optional.of("a"))) {
      var e =
          assertThrows(
              ConfigurationException.class,
              () -> ApiTokens.resolve(api, Optional.empty(), host, cache));
      assertTrue(e.getMessage().contains("refusing to listen on " + host), e.getMessage());
      assertTrue(e.getMessage().contains("THAW_API_TOKEN"), e.getMessage());
      assertTrue(e.getMessage().contains("THAW_WORKER_TOKEN"), e.getMessage());
      assertTrue(e.getMessage().contains("--host"), e.getMessage());
    }
    assertFalse(Files.exists(cache.resolve("orchestrator")), "no token files for a public host");
  }

  @Test
  void anotherAddressWithBothTokensStartsAndWritesNoFiles() {
    Map<TokenRole, String> tokens =
        ApiTokens.resolve(Optional.of("a"), Optional.of("w"), "0.0.0.0", cache);
    assertEquals(Map.of(TokenRole.API, "a", TokenRole.WORKER, "w"), tokens);
    assertFalse(Files.exists(cache.resolve("orchestrator")));
  }

  @Test
  void theSameTokenForBothRolesIsRefused() {
    var e =
        assertThrows(
            ConfigurationException.class,
            () -> new ApiTokens(Map.of(TokenRole.API, "same", TokenRole.WORKER, "same")));
    assertTrue(e.getMessage().contains("same token"), e.getMessage());
  }

  @Test
  void aTokenMapsToItsRoleAndNothingElseDoes() {
    ApiTokens tokens = new ApiTokens(Map.of(TokenRole.API, "a-token", TokenRole.WORKER, "w-token"));
    assertEquals(Optional.of(TokenRole.API), tokens.roleOf("a-token"));
    assertEquals(Optional.of(TokenRole.WORKER), tokens.roleOf("w-token"));
    assertEquals(Optional.empty(), tokens.roleOf("a-toke"));
    assertEquals(Optional.empty(), tokens.roleOf(""));
  }
}
