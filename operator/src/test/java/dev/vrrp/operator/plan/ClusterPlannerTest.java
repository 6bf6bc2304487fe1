package dev.vrrp.operator.plan;

import static dev.vrrp.operator.Vips.node;
import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterPlannerTest {
  private static final List<Node> NODES =
      List.of(node("a1", "group", "a"), node("a2", "group", "a"), node("b1", "group", "b"));

  @Test
  void plansVridsPrioritiesAndConflicts() {
    VirtualIP first = vip("first").created(1).addresses("192.0.2.1").selector("group", "a").build();
    VirtualIP second =
        vip("second").created(2).addresses("192.0.2.1").selector("group", "a").build();
    VirtualIP other = vip("other").created(3).addresses("192.0.2.3").selector("group", "b").build();
    ClusterPlan plan = ClusterPlanner.compute(List.of(first, second, other), NODES);
    assertThat(plan.get("first").installed()).isTrue();
    assertThat(plan.get("first").selectedNodes()).containsExactlyInAnyOrder("a1", "a2");
    assertThat(plan.get("first").priorities()).hasSize(2);
    assertThat(plan.get("second").installed()).isFalse();
    assertThat(plan.get("second").conflict().reason().wire()).isEqualTo("AddressConflict");
    assertThat(plan.get("other").virtualRouterId()).isEqualTo(1);
  }

  @Test
  void aCreationTimeThatDoesNotParseComesLast() {
    VirtualIP undated = vip("a-undated").addresses("192.0.2.1").selector("group", "a").build();
    undated.getMetadata().setCreationTimestamp("not a time");
    VirtualIP dated =
        vip("b-dated").created(5).addresses("192.0.2.1").selector("group", "a").build();
    ClusterPlan plan = ClusterPlanner.compute(List.of(undated, dated), NODES);
    assertThat(ClusterPlanner.created(undated)).isNull();
    assertThat(plan.get("b-dated").installed()).isTrue();
    assertThat(plan.get("a-undated").conflict().reason().wire()).isEqualTo("AddressConflict");
  }

  @Test
  void memoizesAndReportsWhoseplanChanged() {
    ClusterPlanner planner = new ClusterPlanner();
    VirtualIP first = vip("first").created(1).addresses("192.0.2.1").selector("group", "a").build();
    VirtualIP second =
        vip("second").created(2).addresses("192.0.2.1").selector("group", "a").build();
    var one = planner.plan(List.of(first, second), NODES);
    assertThat(one.changed()).containsExactlyInAnyOrder("first", "second");
    var cached = planner.plan(List.of(second, first), NODES);
    assertThat(cached.changed()).isEmpty();
    assertThat(cached.plan()).isSameAs(one.plan());

    // the address owner is gone: the other one is now installed, and only its plan changed
    var after = planner.plan(List.of(second), NODES);
    assertThat(after.changed()).containsExactly("second");
    assertThat(after.plan().get("second").installed()).isTrue();
  }

  @Test
  void anInvalidSpecClaimsNothing() {
    VirtualIP broken =
        vip("broken")
            .created(1)
            .addresses("192.0.2.1")
            .priority("a1", 100)
            .priority("a1", 90)
            .build();
    VirtualIP fine = vip("fine").created(2).addresses("192.0.2.1").build();
    ClusterPlan plan = ClusterPlanner.compute(List.of(broken, fine), NODES);
    assertThat(plan.get("broken").invalid()).contains("a1 is listed twice");
    assertThat(plan.get("fine").installed()).isTrue();
  }

  @Test
  void aNodesOwnAddressIsRefusedNamingTheNodeAndClaimsNothing() {
    Node withAddress =
        new NodeBuilder(node("b1", "group", "b"))
            .withNewStatus()
            .addNewAddress()
            .withType("InternalIP")
            .withAddress("192.0.2.12")
            .endAddress()
            .addNewAddress()
            .withType("ExternalIP")
            .withAddress("2001:db8::12")
            .endAddress()
            .endStatus()
            .build();
    List<Node> nodes = List.of(node("a1", "group", "a"), node("a2", "group", "a"), withAddress);
    VirtualIP steal = vip("steal").created(1).addresses("192.0.2.12/24").build();
    VirtualIP steal6 = vip("steal6").created(2).addresses("2001:DB8::12/64").build();
    VirtualIP fine = vip("fine").created(3).addresses("192.0.2.100/24").build();
    ClusterPlan plan = ClusterPlanner.compute(List.of(steal, steal6, fine), nodes);

    assertThat(plan.get("steal").installed()).isFalse();
    assertThat(plan.get("steal").virtualRouterId()).isNull();
    assertThat(plan.get("steal").conflict().reason().wire()).isEqualTo("NodeAddress");
    assertThat(plan.get("steal").conflict().message())
        .isEqualTo(
            "192.0.2.12 is the InternalIP of node b1: a "
                + "virtual address must not be a node's own; choose a free address");
    assertThat(plan.get("steal6").conflict().message())
        .startsWith("2001:db8::12 is the ExternalIP of node b1");
    assertThat(plan.get("fine").virtualRouterId()).as("the refused ones took no VRID").isEqualTo(1);

    // the node's address changes: a replan, and the VirtualIP is installed
    ClusterPlanner planner = new ClusterPlanner();
    planner.plan(List.of(steal), nodes);
    Node moved =
        new NodeBuilder(withAddress)
            .editStatus()
            .editFirstAddress()
            .withAddress("192.0.2.13")
            .endAddress()
            .endStatus()
            .build();
    var replanned =
        planner.plan(
            List.of(steal), List.of(node("a1", "group", "a"), node("a2", "group", "a"), moved));
    assertThat(replanned.changed()).containsExactly("steal");
    assertThat(replanned.plan().get("steal").installed()).isTrue();
  }

  @Test
  void aNodeLabelChangeReplans() {
    ClusterPlanner planner = new ClusterPlanner();
    VirtualIP v = vip("v").addresses("192.0.2.1").selector("group", "b").build();
    planner.plan(List.of(v), NODES);
    var relabelled =
        planner.plan(
            List.of(v),
            List.of(node("a1", "group", "b"), node("a2", "group", "a"), node("b1", "group", "b")));
    assertThat(relabelled.changed()).containsExactly("v");
    assertThat(relabelled.plan().get("v").selectedNodes()).containsExactlyInAnyOrder("a1", "b1");
  }

  @Test
  void aVirtualIpSharingAVridRunsWithItsLeadersPriorities() {
    List<VirtualIP> vips = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      vips.add(
          vip(String.format("v%03d", i))
              .created(i)
              .addresses("10.0." + (i / 200) + "." + (i % 200))
              .selector("group", "a")
              .build());
    }
    ClusterPlan plan = ClusterPlanner.compute(vips, NODES);
    VipPlan last = plan.get("v255");
    assertThat(last.installed()).isTrue();
    assertThat(last.sharedWith()).isEqualTo("v000");
    assertThat(last.virtualRouterId()).isEqualTo(plan.get("v000").virtualRouterId());
    assertThat(last.priorities()).isEqualTo(plan.get("v000").priorities());

    VirtualIP different =
        vip("v999").created(999).addresses("10.9.9.9").selector("group", "a").build();
    different.getSpec().setAdvertisementInterval("2s");
    vips.add(different);
    assertThat(ClusterPlanner.compute(vips, NODES).get("v999").conflict().reason().wire())
        .isEqualTo("VridExhausted");
  }
}
