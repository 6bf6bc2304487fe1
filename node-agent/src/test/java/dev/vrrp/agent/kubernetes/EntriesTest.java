package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.agent.loop.InstanceStatus;
import dev.vrrp.api.v1alpha1.NodeStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntriesTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private final Entries entries = new Entries("node-a", Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aDrainingBackupSaysWhyItsPriorityIsTheLowest() {
    NodeStatus entry = entries.of(status("BACKUP", List.of(), true));

    assertThat(entry.getState()).isEqualTo("BACKUP");
    assertThat(entry.getReason()).isEqualTo("Draining");
    assertThat(entry.getMessage()).isEqualTo(Entries.DRAINING_MESSAGE);
    assertThat(entry.getPriority()).isEqualTo(200);
    assertThat(entry.getEffectivePriority()).isEqualTo(1);
  }

  @Test
  void aFaultSaysTheFaultEvenWhileDraining() {
    NodeStatus entry = entries.of(status("FAULT", List.of("gateway"), true));

    assertThat(entry.getReason()).isEqualTo("CheckFailed");
    assertThat(entry.getMessage()).isEqualTo("gateway");
  }

  @Test
  void aServingInstanceHasNoReason() {
    NodeStatus entry = entries.of(status("MASTER", List.of(), false));

    assertThat(entry.getReason()).isNull();
    assertThat(entry.getMessage()).isNull();
    assertThat(entry.getHeartbeatTime()).isEqualTo(NOW.toString());
  }

  private static InstanceStatus status(String state, List<String> faults, boolean draining) {
    return new InstanceStatus(
        "web",
        "eth0",
        7,
        3,
        state,
        200,
        draining ? 1 : 200,
        null,
        "192.0.2.11",
        1,
        NOW,
        List.of("192.0.2.100"),
        faults,
        null,
        false,
        draining,
        Map.of(),
        Map.of());
  }
}
