package dev.vrrp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  /** One edit of {@link #NODE}, and whether the plan must see it. */
  static Stream<Arguments> edits() {
    return Stream.of(
        counts("a label's value", b -> b.editMetadata().addToLabels("group", "b").endMetadata()),
        counts("a new label", b -> b.editMetadata().addToLabels("zone", "z1").endMetadata()),
        counts("a taint removed", b -> b.editSpec().withTaints().endSpec()),
        counts(
            "a taint's effect",
            b -> b.editSpec().editFirstTaint().withEffect("NoExecute").endTaint().endSpec()),
        counts(
            "being deleted",
            b -> b.editMetadata().withDeletionTimestamp("2025-01-01T12:00:00Z").endMetadata()),
        counts(
            "its InternalIP",
            b ->
                b.editStatus()
                    .editFirstAddress()
                    .withAddress("192.0.2.12")
                    .endAddress()
                    .endStatus()),
        counts(
            "a new ExternalIP",
            b ->
                b.editStatus()
                    .addNewAddress()
                    .withType("ExternalIP")
                    .withAddress("198.51.100.11")
                    .endAddress()
                    .endStatus()),
        ignored(
            "an annotation, the resourceVersion",
            b ->
                b.editMetadata()
                    .addToAnnotations("note", "x")
                    .withResourceVersion("8")
                    .endMetadata()),
        ignored(
            "a condition's heartbeat",
            b ->
                b.editStatus()
                    .editFirstCondition()
                    .withLastHeartbeatTime("2025-01-01T12:00:10Z")
                    .endCondition()
                    .endStatus()),
        ignored(
            "its Hostname address",
            b ->
                b.editStatus()
                    .editMatchingAddress(a -> "Hostname".equals(a.getType()))
                    .withAddress("n1.example")
                    .endAddress()
                    .endStatus()),
        ignored("the pod CIDR", b -> b.editSpec().withPodCIDR("10.244.2.0/24").endSpec()));
  }

  private static Arguments counts(String what, UnaryOperator<NodeBuilder> change) {
    return Arguments.of(what, change, true);
  }

  private static Arguments ignored(String what, UnaryOperator<NodeBuilder> change) {
    return Arguments.of(what, change, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void onlyAChangeToAFieldThePlanReadsCounts(
      String what, UnaryOperator<NodeBuilder> change, boolean counts) {
    assertThat(NodeFields.changed(NODE, edit(change))).as(what).isEqualTo(counts);
  }

  @Test
  void noLabelsAndEmptyLabelsAreTheSame() {
    assertThat(
            NodeFields.changed(
                edit(b -> b.editMetadata().withLabels(null).endMetadata()),
                edit(b -> b.editMetadata().withLabels(Map.of()).endMetadata())))
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
