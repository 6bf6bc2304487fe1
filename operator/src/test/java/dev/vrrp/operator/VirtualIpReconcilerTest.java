package dev.vrrp.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VirtualIpReconcilerTest {
  private static final Duration RESYNC = Duration.ofSeconds(10);

  @Test
  void theNextLookIsTheResyncAtTheLatest() {
    assertThat(VirtualIpReconciler.nextLook(RESYNC, null, Optional.empty())).isEqualTo(RESYNC);
    assertThat(VirtualIpReconciler.nextLook(RESYNC, Duration.ofSeconds(30), Optional.empty()))
        .isEqualTo(RESYNC);
    assertThat(
            VirtualIpReconciler.nextLook(
                RESYNC, Duration.ofSeconds(30), Optional.of(Duration.ofSeconds(40))))
        .isEqualTo(RESYNC);
  }

  @Test
  void aStaleHeartbeatOrAWaitingWriteComesSooner() {
    assertThat(VirtualIpReconciler.nextLook(RESYNC, Duration.ofSeconds(3), Optional.empty()))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(
            VirtualIpReconciler.nextLook(
                RESYNC, Duration.ofSeconds(3), Optional.of(Duration.ofMillis(300))))
        .isEqualTo(Duration.ofMillis(300));
    assertThat(
            VirtualIpReconciler.nextLook(
                RESYNC, Duration.ofSeconds(3), Optional.of(Duration.ofSeconds(5))))
        .isEqualTo(Duration.ofSeconds(3));
  }
}
