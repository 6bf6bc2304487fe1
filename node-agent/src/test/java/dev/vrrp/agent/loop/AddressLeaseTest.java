package dev.vrrp.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.engine.Timers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AddressLeaseTest {
  @Test
  void theLeaseOutlastsEveryBackupsMasterDownIntervalByAtLeastOneRenewal() {
    for (long ms : new long[] {10, 100, 300, 1000, 2500, 10_000, 40_950}) {
      Duration interval = Duration.ofMillis(ms);
      Duration slowestBackup = Timers.masterDownInterval(3, 1, interval);
      assertThat(AddressLease.of(interval))
          .as("%d ms", ms)
          .isGreaterThanOrEqualTo(slowestBackup.plus(NodeAgent.DATA_PATH_CHECK))
          .isGreaterThanOrEqualTo(AddressLease.SHORTEST);
    }
    // VRRPv2: the skew is up to a second whatever the interval
    assertThat(AddressLease.of(Duration.ofSeconds(1)))
        .isGreaterThanOrEqualTo(
            Timers.masterDownInterval(2, 1, Duration.ofSeconds(1)).plus(NodeAgent.DATA_PATH_CHECK));
  }

  @Test
  void aFastSegmentGetsTheShortestLeaseNotLess() {
    assertThat(AddressLease.of(Duration.ofMillis(300))).isEqualTo(AddressLease.SHORTEST);
    assertThat(AddressLease.of(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(5));
  }
}
