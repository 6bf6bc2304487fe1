package dev.vrrp.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

class NodeMaintenanceTest {

  @Test
  void aSchedulableUntaintedNodeIsNotInMaintenance() {
    assertThat(NodeMaintenance.reason(node().build())).isEmpty();
    assertThat(NodeMaintenance.reason(node().editSpec().withUnschedulable(false).endSpec().build()))
        .isEmpty();
    assertThat(NodeMaintenance.reason(null)).isEmpty();
    assertThat(NodeMaintenance.reason(new Node())).isEmpty();
  }

  @Test
  void aCordonedNodeIs() {
    assertThat(NodeMaintenance.reason(node().editSpec().withUnschedulable(true).endSpec().build()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("cordoned"));
  }

  @Test
  void theDrainTaintWithAnyEffectAndValueDrains() {
    for (String effect : new String[] {"NoSchedule", "PreferNoSchedule", "NoExecute"}) {
      Node tainted =
          node()
              .editSpec()
              .addNewTaint()
              .withKey(NodeMaintenance.DRAIN_TAINT)
              .withEffect(effect)
              .endTaint()
              .endSpec()
              .build();
      assertThat(NodeMaintenance.reason(tainted))
          .hasValueSatisfying(reason -> assertThat(reason).contains("vrrp.dev/drain"));
    }
  }

  @Test
  void otherTaintsDoNotDrain() {
    Node tainted =
        node()
            .editSpec()
            .addNewTaint()
            .withKey("node.kubernetes.io/not-ready")
            .withEffect("NoExecute")
            .endTaint()
            .endSpec()
            .build();
    assertThat(NodeMaintenance.reason(tainted)).isEmpty();
  }

  private static NodeBuilder node() {
    return new NodeBuilder()
        .withNewMetadata()
        .withName("node-a")
        .endMetadata()
        .withNewSpec()
        .endSpec();
  }
}
