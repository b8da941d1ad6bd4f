package dev.thaw.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.protocol.ApiError;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ApiErrorMappersTest {
  @Test
  void anUnexpectedFailureIsA500WithTheContractAndNoInternals() {
    Response r =
        new ApiErrorMappers()
            .unexpected(new IllegalStateException("secret table name in /var/lib/x"));
    assertEquals(500, r.getStatus());
    ApiError body = (ApiError) r.getEntity();
    assertEquals("internal_error", body.error());
    assertTrue(body.message().matches(".*incident [0-9a-f]{8}.*"), body.message());
    assertFalse(body.message().contains("secret"), body.message());
    assertEquals(0, body.details().size());
  }
}
