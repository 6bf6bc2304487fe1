package dev.vrrp.operator.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final Instant NOON = Instant.parse("2025-01-01T12:00:00Z");

  @Test
  void readsWhatTheApiServerAndTheAgentsWrite() {
    assertThat(Timestamps.parse("2025-01-01T12:00:00Z")).contains(NOON);
    assertThat(Timestamps.parse("2025-01-01T12:00:00.250Z")).contains(NOON.plusMillis(250));
    assertThat(Timestamps.parse("2025-01-01T12:00:00.123456789Z"))
        .contains(NOON.plusNanos(123_456_789));
    assertThat(Timestamps.parse(NOON.toString())).contains(NOON);
  }

  @Test
  void readsOffsetsAndLowerCase() {
    assertThat(Timestamps.parse("2025-01-01T14:00:00+02:00")).contains(NOON);
    assertThat(Timestamps.parse("2025-01-01T06:30:00-05:30")).contains(NOON);
    assertThat(Timestamps.parse("2025-01-01t12:00:00z")).contains(NOON);
  }

  @Test
  void isAsLenientAsInstantAndOffsetDateTimeTogether() {
    // only OffsetDateTime.parse reads these
    assertThat(Timestamps.parse("2025-01-01T14:00:00+02")).contains(NOON);
    assertThat(Timestamps.parse("2025-01-01T12:00Z")).contains(NOON);
    // only Instant.parse reads these
    assertThat(Timestamps.parse("2024-12-31T23:59:60Z"))
        .contains(Instant.parse("2024-12-31T23:59:59Z"));
    assertThat(Timestamps.parse("2024-12-31T24:00:00Z"))
        .contains(Instant.parse("2025-01-01T00:00:00Z"));
  }

  @Test
  void anythingElseIsEmpty() {
    assertThat(Timestamps.parse(null)).isEmpty();
    assertThat(Timestamps.parse("")).isEmpty();
    assertThat(Timestamps.parse("   ")).isEmpty();
    assertThat(Timestamps.parse("not a time")).isEmpty();
    assertThat(Timestamps.parse("2025-01-01T12:00:00")).as("no offset").isEmpty();
    assertThat(Timestamps.parse("2025-01-01")).as("a date only").isEmpty();
    assertThat(Timestamps.parse("2025-01-01 12:00:00Z")).as("a space for the T").isEmpty();
    assertThat(Timestamps.parse(" 2025-01-01T12:00:00Z")).as("white space").isEmpty();
    assertThat(Timestamps.parse("2025-01-01T12:00:00+01:00[Europe/Paris]"))
        .as("a zone name")
        .isEmpty();
    assertThat(Timestamps.parse("2025-02-30T12:00:00Z")).as("no such day").isEmpty();
    assertThat(Timestamps.parse("1735732800")).as("epoch seconds").isEmpty();
  }
}
