package dev.vrrp.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.engine.TimerKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimerSlackTest {

  @Test
  void slowAdvertisementsLandOnTheGridAtMost20msLate() {
    for (long now : new long[] {0, 1, 7_345_678, 19_999_999, -123_456_789, 987_654_321_123L}) {
      long delay = TimerSlack.delayNanos(TimerKind.ADVERTISEMENT, Duration.ofSeconds(1), now);
      assertThat(Math.floorMod(now + delay, TimerSlack.GRID_NANOS)).isZero();
      assertThat(delay).isBetween(1_000_000_000L, 1_000_000_000L + TimerSlack.GRID_NANOS - 1);
    }
  }

  @Test
  void failoverTimersAndFastAdvertisementsAreNeverMoved() {
    assertThat(TimerSlack.delayNanos(TimerKind.MASTER_DOWN, Duration.ofMillis(3609), 7))
        .isEqualTo(3_609_000_000L);
    assertThat(TimerSlack.delayNanos(TimerKind.ADVERTISEMENT, Duration.ofMillis(100), 7))
        .isEqualTo(100_000_000L);
    assertThat(TimerSlack.delayNanos(TimerKind.PREEMPT_DELAY, Duration.ofSeconds(5), 7))
        .isEqualTo(5_000_000_000L);
  }
}
