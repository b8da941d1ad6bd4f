package dev.thaw.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which token a client sends where, and the token files it reads them from. */
class ClientTokenTest {
  @TempDir Path cache;

  private void localOrchestratorMadeTokens() {
    TokenFiles.readOrCreate(TokenRole.API.file(cache));
    TokenFiles.readOrCreate(TokenRole.WORKER.file(cache));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://LOCALHOST",
        "http://127.1.2.3:1",
        "http://[::1]:8080/prefix"
      })
  void theFileTokenGoesToALoopbackOrchestrator(String url) throws IOException {
    localOrchestratorMadeTokens();
    Optional<ClientToken> token = ClientToken.find(TokenRole.API, URI.create(url), Map.of(), cache);
    assertEquals(
        TokenFiles.read(TokenRole.API.file(cache)).orElseThrow(), token.orElseThrow().value());
    assertEquals(TokenRole.API.file(cache).toString(), token.get().source());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://orchestrator.example.com:8080",
        "http://10.0.0.5:8080",
        "http://0.0.0.0:8080",
        "http://localhost.example.com",
        "http://127.0.0.1.example.com",
        "https://[2001:db8::1]"
      })
  void theFileTokenNeverGoesToAnotherHost(String url) {
    localOrchestratorMadeTokens();
    assertEquals(
        Optional.empty(), ClientToken.find(TokenRole.API, URI.create(url), Map.of(), cache));
    assertEquals(
        Optional.empty(), ClientToken.find(TokenRole.WORKER, URI.create(url), Map.of(), cache));
  }

  @Test
  void theEnvironmentWinsAndGoesAnywhere() {
    localOrchestratorMadeTokens();
    Map<String, String> env = Map.of("THAW_API_TOKEN", " set-token\n", "THAW_WORKER_TOKEN", "w");
    for (String url : new String[] {"http://127.0.0.1:8080", "http://remote:8080"}) {
      assertEquals(
          new ClientToken("set-token", "THAW_API_TOKEN"),
          ClientToken.find(TokenRole.API, URI.create(url), env, cache).orElseThrow());
      assertEquals(
          "w",
          ClientToken.find(TokenRole.WORKER, URI.create(url), env, cache).orElseThrow().value());
    }
  }

  @Test
  void noFileAndNoVariableIsNoToken() {
    assertEquals(
        Optional.empty(),
        ClientToken.find(TokenRole.WORKER, URI.create("http://127.0.0.1:1"), Map.of(), cache));
  }

  @Test
  void theTokenNeverAppearsInToString() {
    assertFalse(new ClientToken("s3cret", "THAW_API_TOKEN").toString().contains("s3cret"));
  }

  @Test
  void aTokenFileIsMadeOwnerOnlyAndReused() throws IOException {
    Path file = TokenRole.WORKER.file(cache);
    String first = TokenFiles.readOrCreate(file);
    assertTrue(first.matches("[A-Za-z0-9_-]{43}"), "32 bytes, base64url: " + first);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(first, TokenFiles.readOrCreate(file), "reused");
    assertNotEquals(first, TokenFiles.readOrCreate(TokenRole.API.file(cache)), "one per role");
    try (var left = Files.list(file.getParent())) {
      assertEquals(2, left.count(), "no temporary files left behind");
    }
  }

  @Test
  void aTokenFileOthersCouldReadIsMadeOwnerOnlyAgain() throws IOException {
    Path file = TokenRole.API.file(cache);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "mine\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals("mine", TokenFiles.readOrCreate(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void anEmptyTokenFileIsAnErrorNamingIt() throws IOException {
    Path file = TokenRole.API.file(cache);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "\n");
    var e = assertThrows(UncheckedIOException.class, () -> TokenFiles.readOrCreate(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void aListeningAddressIsLoopbackOnlyWhenEveryAddressIs() {
    assertTrue(Loopback.bindsLoopbackOnly("127.0.0.1"));
    assertTrue(Loopback.bindsLoopbackOnly("::1"));
    assertTrue(Loopback.bindsLoopbackOnly("localhost"));
    assertFalse(Loopback.bindsLoopbackOnly("0.0.0.0"));
    assertFalse(Loopback.bindsLoopbackOnly("::"));
    assertFalse(Loopback.bindsLoopbackOnly("192.0.2.10"));
    assertFalse(Loopback.bindsLoopbackOnly(""));
  }
}
