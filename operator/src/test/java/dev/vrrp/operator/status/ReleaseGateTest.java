package dev.vrrp.operator.status;

import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.vocabulary.EventType;
import dev.vrrp.api.vocabulary.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseGateTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  private final ReleaseGate gate =
      new ReleaseGate(
          new StatusAggregator(Duration.ofSeconds(30), Optional::empty), Duration.ofSeconds(60));

  @Test
  void releasedWhenEveryReportingAgentSaysReleased() {
    var v =
        vip("x")
            .deleted(NOW.minusSeconds(2))
            .entry("a", "RELEASED", NOW)
            .entry("b", "RELEASED", NOW)
            .build();
    assertThat(gate.decide(v, NOW)).isEqualTo(new ReleaseGate.Decision(true, false, List.of()));
  }

  @Test
  void aFreshHolderBlocksUntilTheTimeout() {
    // b keeps refreshing its heartbeat (written in the future here so it stays fresh)
    var v =
        vip("x")
            .deleted(NOW.minusSeconds(2))
            .entry("a", "RELEASED", NOW)
            .entry("b", "MASTER", NOW.plusSeconds(50))
            .build();
    ReleaseGate.Decision d = gate.decide(v, NOW);
    assertThat(d.release()).isFalse();
    assertThat(d.pending()).containsExactly("b");
    assertThat(gate.waitFor(v, NOW, Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));

    ReleaseGate.Decision late = gate.decide(v, NOW.plusSeconds(58));
    assertThat(late.release()).isTrue();
    assertThat(late.timedOut()).isTrue();
    assertThat(late.pending()).containsExactly("b");
  }

  @Test
  void aDeletionTimeThatDoesNotParseNeverTimesOut() {
    var v = vip("x").entry("b", "MASTER", NOW.plusSeconds(3600)).build();
    v.getMetadata().setDeletionTimestamp("not a time");
    assertThat(gate.decide(v, NOW.plusSeconds(600)).release()).isFalse();
    assertThat(gate.waitFor(v, NOW, Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void staleAndAbsentEntriesDoNotBlock() {
    var v = vip("x").deleted(NOW).entry("a", "MASTER", NOW.minusSeconds(31)).build();
    assertThat(gate.decide(v, NOW).release()).isTrue();
    assertThat(gate.decide(vip("y").deleted(NOW).build(), NOW).release()).isTrue();
  }

  @Test
  void theNoticeSaysWhoReleasedOrWhoDidNotConfirm() {
    var v = vip("x").addresses("192.0.2.10/24", "192.0.2.11/24").deleted(NOW).build();
    assertThat(gate.notice(v, new ReleaseGate.Decision(true, false, List.of())))
        .isEqualTo(
            new StatusAggregator.Notice(
                EventType.NORMAL,
                Reason.ADDRESSES_RELEASED,
                "every agent released 192.0.2.10/24, 192.0.2.11/24"));
    assertThat(gate.notice(v, new ReleaseGate.Decision(true, true, List.of("a", "b"))))
        .isEqualTo(
            new StatusAggregator.Notice(
                EventType.WARNING,
                Reason.RELEASE_TIMED_OUT,
                "nodes a, b did not confirm releasing 192.0.2.10/24, 192.0.2.11/24 within 60s;"
                    + " removing the finalizer anyway"));
  }
}
