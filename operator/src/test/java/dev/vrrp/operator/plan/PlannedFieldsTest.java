package dev.vrrp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannedFieldsTest {
  private static VirtualIPStatus status(Integer vrid, NodePriority... priorities) {
    VirtualIPStatus status = new VirtualIPStatus();
    status.setVirtualRouterId(vrid);
    status.setPriorities(new ArrayList<>(List.of(priorities)));
    return status;
  }

  @Test
  void readsTheVridAndThePrioritiesInOrder() {
    assertThat(PlannedFields.of(status(7, new NodePriority("b", 250), new NodePriority("a", 200))))
        .isEqualTo(
            new PlannedFields(
                7, List.of(new VipPlan.Ranked("b", 250), new VipPlan.Ranked("a", 200))));
  }

  @Test
  void noStatusReadsLikeAnEmptyOne() {
    assertThat(PlannedFields.of(null)).isEqualTo(PlannedFields.NONE);
    assertThat(PlannedFields.of(new VirtualIPStatus())).isEqualTo(PlannedFields.NONE);
    VirtualIPStatus nullList = new VirtualIPStatus();
    nullList.setPriorities(null);
    assertThat(PlannedFields.of(nullList)).isEqualTo(PlannedFields.NONE);
  }

  @Test
  void aMissingPriorityIsZeroAndNeverShowsAPlan() {
    VirtualIPStatus missing = status(7, new NodePriority("a", null));
    assertThat(PlannedFields.of(missing).priorities()).containsExactly(new VipPlan.Ranked("a", 0));
    assertThat(PlannedFields.of(missing))
        .isEqualTo(PlannedFields.of(status(7, new NodePriority("a", 0))));

    VipPlan plan = new VipPlan(Set.of("a"), 7, List.of(new VipPlan.Ranked("a", 250)), null, null);
    assertThat(ClusterPlanner.asPlanned(missing, plan)).isFalse();
    assertThat(ClusterPlanner.asPlanned(status(7, new NodePriority("a", 250)), plan)).isTrue();
    assertThat(ClusterPlanner.asPlanned(null, plan)).isTrue();
    assertThat(ClusterPlanner.asPlanned(status(8, new NodePriority("a", 250)), plan)).isFalse();
  }
}
