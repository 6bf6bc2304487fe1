package dev.vrrp.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.operator.status.OperatorStatus.StatusCondition;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VirtualIpMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final VirtualIpMetrics metrics = new VirtualIpMetrics(registry);

  private static OperatorStatus status(String master, String readyStatus, String readyReason) {
    return new OperatorStatus(
        master,
        7,
        List.of(),
        master == null ? "0/2" : "2/2",
        List.of(new StatusCondition("Ready", readyStatus, readyReason, "m", 1L, "t")),
        1L,
        0L,
        null);
  }

  /** Every series as name{tags}, the counter with its count. */
  private TreeSet<String> series() {
    return registry.getMeters().stream()
        .map(
            m ->
                m.getId().getName()
                    + m.getId().getTags().stream()
                        .map(t -> t.getKey() + "=" + t.getValue())
                        .collect(Collectors.joining(",", "{", "}"))
                    + (m.getId().getType() == Meter.Type.COUNTER
                        ? " " + (long) registry.get(m.getId().getName()).counter().count()
                        : ""))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void showsTheSummaryAndDropsWhatStoppedBeingTrue() {
    metrics.show(
        "web",
        status(null, "False", "AwaitingAgents"),
        OperatorStatus.EMPTY,
        Map.of("a", "BACKUP"));
    assertThat(series())
        .containsExactly(
            "vrrp.virtualip.condition{reason=AwaitingAgents,status=False,type=Ready,virtualip=web}",
            "vrrp.virtualip.master.changes{virtualip=web} 0",
            "vrrp.virtualip.node.state{node=a,state=BACKUP,virtualip=web}");

    metrics.show(
        "web",
        status("a", "True", "MasterElected"),
        OperatorStatus.EMPTY,
        Map.of("a", "MASTER", "b", "Unknown"));
    assertThat(series())
        .containsExactly(
            "vrrp.virtualip.condition{reason=MasterElected,status=True,type=Ready,virtualip=web}",
            "vrrp.virtualip.master.changes{virtualip=web} 1",
            "vrrp.virtualip.master{node=a,virtualip=web}",
            "vrrp.virtualip.node.state{node=a,state=MASTER,virtualip=web}",
            "vrrp.virtualip.node.state{node=b,state=Unknown,virtualip=web}");

    metrics.forget("web");
    assertThat(series()).isEmpty();
  }

  @Test
  void countsEachNewMasterButNotTheOneAnOperatorRestartFinds() {
    OperatorStatus onA = status("a", "True", "MasterElected");
    metrics.show("web", onA, onA, Map.of());
    assertThat(registry.get(VirtualIpMetrics.MASTER_CHANGES).counter().count())
        .as("the stored summary named a already")
        .isZero();
    metrics.show("web", onA, onA, Map.of());
    metrics.show("web", status("b", "True", "MasterElected"), onA, Map.of());
    metrics.show("web", status(null, "False", "NoMaster"), onA, Map.of());
    metrics.show("web", status("b", "True", "MasterElected"), onA, Map.of());
    assertThat(registry.get(VirtualIpMetrics.MASTER_CHANGES).counter().count())
        .as("a to b, then b again after none")
        .isEqualTo(2);
  }
}
