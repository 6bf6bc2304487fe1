package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrackedCheckTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void waitsForTheFirstProbeWithoutAState() {
    TrackedCheck check =
        new TrackedCheck(TestChecks.fake("web", Duration.ofSeconds(1), null, 2, 2, 10), START);

    assertThat(check.known()).isFalse();
    assertThat(check.state())
        .isEqualTo(new CheckState("web", "EXEC", false, "waiting for the first probe", 10, START));
  }

  @Test
  void detailSaysHowCloseAFlipIsAndSinceMovesOnlyOnAFlip() {
    TrackedCheck check =
        new TrackedCheck(TestChecks.fake("web", Duration.ofSeconds(1), null, 3, 2, 0), START);

    assertThat(check.apply(ProbeResult.ok("HTTP 200"), START.plusSeconds(1))).isTrue();
    assertThat(check.state().since()).isEqualTo(START.plusSeconds(1));

    assertThat(check.apply(ProbeResult.failed("HTTP 503"), START.plusSeconds(2))).isFalse();
    assertThat(check.state().healthy()).isTrue();
    assertThat(check.state().detail()).isEqualTo("HTTP 503 (1 of 3 towards failing)");
    assertThat(check.state().since()).isEqualTo(START.plusSeconds(1));

    check.apply(ProbeResult.failed("HTTP 503"), START.plusSeconds(3));
    assertThat(check.apply(ProbeResult.failed("HTTP 503"), START.plusSeconds(4))).isTrue();
    assertThat(check.state())
        .extracting(CheckState::healthy, CheckState::detail, CheckState::since)
        .containsExactly(false, "HTTP 503", START.plusSeconds(4));

    check.apply(ProbeResult.ok("HTTP 200"), START.plusSeconds(5));
    assertThat(check.state().detail()).isEqualTo("HTTP 200 (1 of 2 towards healthy)");
  }
}
