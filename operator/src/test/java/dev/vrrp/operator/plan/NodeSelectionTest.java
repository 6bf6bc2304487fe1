package dev.vrrp.operator.plan;

import static dev.vrrp.operator.Vips.node;
import static dev.vrrp.operator.Vips.tainted;
import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSelectionTest {
  @Test
  void selectorMatchesLabelsAndEmptySelectsAll() {
    var nodes = List.of(node("a", "zone", "z1", "role", "lb"), node("b", "zone", "z1"), node("c"));
    assertThat(NodeSelection.selected(vip("v").selector("zone", "z1", "role", "lb").build(), nodes))
        .containsExactly("a");
    assertThat(NodeSelection.selected(vip("v").build(), nodes)).containsExactly("a", "b", "c");
  }

  @Test
  void nodeNamesNarrowTheSelectorAndAnEmptyListSelectsNone() {
    var nodes = List.of(node("a", "zone", "z1"), node("b", "zone", "z1"), node("c"));
    var named = vip("v").selector("zone", "z1").build();
    named.getSpec().setNodeNames(new ArrayList<>(List.of("b", "c")));
    assertThat(NodeSelection.selected(named, nodes)).containsExactly("b");
    named.getSpec().setNodeNames(new ArrayList<>());
    assertThat(NodeSelection.selected(named, nodes)).isEmpty();
    named.getSpec().setNodeNames(null);
    assertThat(NodeSelection.selected(named, nodes)).containsExactly("a", "b");
  }

  @Test
  void aNodeDrainedByTheTaintStaysSelectedItsAgentHandsOverThere() {
    var drained = tainted(node("drained"), "vrrp.dev/drain", null, "NoSchedule");
    var evicting = tainted(node("evicting"), "vrrp.dev/drain", "yes", "NoExecute");
    assertThat(NodeSelection.selected(vip("v").build(), List.of(drained, evicting, node("plain"))))
        .containsExactly("drained", "evicting", "plain");
  }

  @Test
  void untoleratedTaintsExcludeANode() {
    var control = tainted(node("cp"), "node-role.kubernetes.io/control-plane", null, "NoSchedule");
    var cordoned =
        tainted(node("cordoned"), "node.kubernetes.io/unschedulable", null, "NoSchedule");
    var soft = tainted(node("soft"), "prefer", "x", "PreferNoSchedule");
    var nodes = List.of(control, cordoned, soft, node("plain"));
    assertThat(NodeSelection.selected(vip("v").build(), nodes))
        .containsExactly("cordoned", "plain", "soft");
    assertThat(
            NodeSelection.selected(
                vip("v")
                    .toleration(
                        "node-role.kubernetes.io/control-plane", "Exists", null, "NoSchedule")
                    .build(),
                nodes))
        .containsExactly("cordoned", "cp", "plain", "soft");
    assertThat(
            NodeSelection.selected(vip("v").toleration(null, "Exists", null, null).build(), nodes))
        .hasSize(4);
  }

  @Test
  void equalTolerationNeedsTheValue() {
    var dedicated = tainted(node("d"), "dedicated", "lb", "NoExecute");
    assertThat(
            NodeSelection.selected(
                vip("v").toleration("dedicated", "Equal", "lb", "NoExecute").build(),
                List.of(dedicated)))
        .containsExactly("d");
    assertThat(
            NodeSelection.selected(
                vip("v").toleration("dedicated", "Equal", "db", null).build(), List.of(dedicated)))
        .isEmpty();
  }
}
