package dev.thaw.protocol;

import java.util.List;

/**
 * The body of every 4xx reply.
 *
 * @param error a short code ({@code lease_lost}, {@code invalid_sweep}, {@code not_found})
 * @param message what is wrong, for people
 * @param details one line per problem (e.g. every validation error), possibly empty
 */
public record ApiError(String error, String message, List<String> details) {
  public ApiError {
    details = details == null ? List.of() : List.copyOf(details);
  }
}
