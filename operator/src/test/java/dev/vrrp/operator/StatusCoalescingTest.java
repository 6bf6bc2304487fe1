package dev.vrrp.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.operator.plan.VipPlan;
import dev.vrrp.operator.status.OperatorStatus;
import dev.vrrp.operator.status.OperatorStatus.StatusCondition;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCoalescingTest {
  private static OperatorStatus status(
      String master, String ready, String readyStatus, String degraded) {
    return new OperatorStatus(
        master,
        7,
        List.of(new VipPlan.Ranked("a", 250)),
        ready,
        List.of(
            new StatusCondition("Ready", readyStatus, "R", "m", 1L, "t"),
            new StatusCondition("Degraded", degraded, "D", "m", 1L, "t"),
            new StatusCondition("SplitBrain", "False", "S", "m", 1L, "t"),
            new StatusCondition("Conflict", "False", "C", "m", 1L, "t")),
        1L,
        0L,
        null);
  }

  @Test
  void bookkeepingMayWaitButMastersAndReadinessMayNot() {
    OperatorStatus waiting = status(null, "0/3", "Unknown", "True");
    assertThat(VirtualIpReconciler.urgent(waiting, status(null, "1/3", "False", "True"))).isFalse();
    assertThat(
            VirtualIpReconciler.urgent(
                status(null, "1/3", "False", "True"), status(null, "2/3", "False", "True")))
        .isFalse();
    assertThat(
            VirtualIpReconciler.urgent(
                status(null, "2/3", "False", "True"), status("a", "3/3", "True", "False")))
        .isTrue();
    assertThat(
            VirtualIpReconciler.urgent(
                status("a", "3/3", "True", "False"), status("a", "2/3", "True", "True")))
        .isFalse();
    assertThat(VirtualIpReconciler.urgent(OperatorStatus.EMPTY, waiting)).isTrue();
  }
}
