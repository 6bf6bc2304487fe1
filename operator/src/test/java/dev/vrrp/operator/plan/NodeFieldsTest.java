package dev.vrrp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class NodeFieldsTest {
  private static final Node NODE =
      new NodeBuilder()
          .withNewMetadata()
          .withName("n1")
          .withUid("uid-n1")
          .withResourceVersion("7")
          .addToLabels("group", "a")
          .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
          .endMetadata()
          .withNewSpec()
          .addNewTaint()
          .withKey("dedicated")
          .withValue("lb")
          .withEffect("NoSchedule")
          .endTaint()
          .withPodCIDR("10.244.1.0/24")
          .endSpec()
          .withNewStatus()
          .addNewAddress()
          .withType("InternalIP")
          .withAddress("192.0.2.11")
          .endAddress()
          .addNewAddress()
          .withType("Hostname")
          .withAddress("n1")
          .endAddress()
          .addNewCondition()
          .withType("Ready")
          .withStatus("True")
          .withLastHeartbeatTime("2025-01-01T12:00:00Z")
          .endCondition()
          .addToAllocatable("cpu", new Quantity("2"))
          .endStatus()
          .build();

  private static Node edit(UnaryOperator<NodeBuilder> change) {
    return change.apply(new NodeBuilder(NODE)).build();
  }

  @Test
  void aChangeToAFieldThePlanReadsCounts() {
    assertThat(
            NodeFields.changed(
                NODE, edit(b -> b.editMetadata().addToLabels("group", "b").endMetadata())))
        .as("a label's value")
        .isTrue();
    assertThat(
            NodeFields.changed(
                NODE, edit(b -> b.editMetadata().addToLabels("zone", "z1").endMetadata())))
        .as("a new label")
        .isTrue();
    assertThat(NodeFields.changed(NODE, edit(b -> b.editSpec().withTaints().endSpec())))
        .as("a taint removed")
        .isTrue();
    assertThat(
            NodeFields.changed(
                NODE,
                edit(
                    b ->
                        b.editSpec()
                            .editFirstTaint()
                            .withEffect("NoExecute")
                            .endTaint()
                            .endSpec())))
        .as("a taint's effect")
        .isTrue();
    assertThat(
            NodeFields.changed(
                NODE,
                edit(
                    b ->
                        b.editMetadata()
                            .withDeletionTimestamp("2025-01-01T12:00:00Z")
                            .endMetadata())))
        .as("being deleted")
        .isTrue();
    assertThat(
            NodeFields.changed(
                NODE,
                edit(
                    b ->
                        b.editStatus()
                            .editFirstAddress()
                            .withAddress("192.0.2.12")
                            .endAddress()
                            .endStatus())))
        .as("its InternalIP")
        .isTrue();
    assertThat(
            NodeFields.changed(
                NODE,
                edit(
                    b ->
                        b.editStatus()
                            .addNewAddress()
                            .withType("ExternalIP")
                            .withAddress("198.51.100.11")
                            .endAddress()
                            .endStatus())))
        .as("a new ExternalIP")
        .isTrue();
  }

  @Test
  void aChangeToAnyOtherFieldDoesNot() {
    assertThat(
            NodeFields.changed(
                NODE,
                edit(
                    b ->
                        b.editMetadata()
                            .addToAnnotations("note", "x")
                            .withResourceVersion("8")
                            .endMetadata())))
        .as("an annotation, the resourceVersion")
        .isFalse();
    assertThat(
            NodeFields.changed(
                NODE,
                edit(
                    b ->
                        b.editStatus()
                            .editFirstCondition()
                            .withLastHeartbeatTime("2025-01-01T12:00:10Z")
                            .endCondition()
                            .endStatus())))
        .as("a condition's heartbeat")
        .isFalse();
    assertThat(
            NodeFields.changed(
                NODE,
                edit(
                    b ->
                        b.editStatus()
                            .editMatchingAddress(a -> "Hostname".equals(a.getType()))
                            .withAddress("n1.example")
                            .endAddress()
                            .endStatus())))
        .as("its Hostname address")
        .isFalse();
    assertThat(
            NodeFields.changed(
                NODE, edit(b -> b.editSpec().withPodCIDR("10.244.2.0/24").endSpec())))
        .as("the pod CIDR")
        .isFalse();
    assertThat(
            NodeFields.changed(
                edit(b -> b.editMetadata().withLabels(null).endMetadata()),
                edit(b -> b.editMetadata().withLabels(Map.of()).endMetadata())))
        .as("no labels, empty labels")
        .isFalse();
  }

  @Test
  void theCacheKeepsWhatThePlanReadsAndItsIdentity() {
    Node slim = NodeFields.slim(NODE);
    assertThat(NodeFields.of(slim)).isEqualTo(NodeFields.of(NODE));
    assertThat(NodeFields.changed(NODE, slim)).isFalse();
    assertThat(slim.getMetadata().getUid()).isEqualTo("uid-n1");
    assertThat(slim.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(slim.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(slim.getStatus().getConditions()).isNullOrEmpty();
    assertThat(slim.getStatus().getAllocatable()).isNullOrEmpty();
    assertThat(slim.getSpec().getPodCIDR()).isNull();
  }
}
