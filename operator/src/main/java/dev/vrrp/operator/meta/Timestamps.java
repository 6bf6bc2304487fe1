package dev.vrrp.operator.meta;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one reading of the timestamps the operator gets from the API server: an object's {@code
 * creationTimestamp} and {@code deletionTimestamp}, and the agents' {@code heartbeatTime} and
 * {@code lastTransitionTime}. The API server writes RFC 3339 in UTC ({@code 2025-01-01T12:00:00Z});
 * the agents write {@link Instant#toString()}. Anything else is read as leniently as {@link
 * Instant#parse} (which also takes a leap second {@code 23:59:60} and {@code 24:00:00}) or else
 * {@link OffsetDateTime#parse} (which also takes an hour-only offset {@code +02} and a time without
 * seconds), whichever reads it. Pure.
 */
public final class Timestamps {
  private Timestamps() {}

  /**
   * The instant, or empty when {@code text} is null, blank or not a timestamp (no offset, a date
   * only, a space for the {@code T}, surrounding white space, a zone name). What empty means is the
   * caller's to say.
   */
  public static Optional<Instant> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(OffsetDateTime.parse(text).toInstant());
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }
}
