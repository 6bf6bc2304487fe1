package dev.vrrp.operator.plan;

import static dev.vrrp.operator.Vips.node;
import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 1000 VirtualIPs on 3 nodes: every one installed, masters even, and writing the plan back costs no
 * replan.
 */
class PlannerScaleTest {
  @Test
  void aThousandVirtualIpsOnThreeNodes() {
    List<Node> nodes = List.of(node("n1"), node("n2"), node("n3"));
    List<VirtualIP> vips = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      vips.add(
          vip(String.format("vip-%04d", i))
              .created(i)
              .addresses("10.0." + (i / 250) + "." + (i % 250) + "/16")
              .build());
    }
    ClusterPlanner planner = new ClusterPlanner();
    long started = System.nanoTime();
    ClusterPlan plan = planner.plan(vips, nodes).plan();
    long firstMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(plan.byName().values()).allMatch(VipPlan::installed);
    Map<String, Integer> masters = new HashMap<>();
    plan.byName()
        .values()
        .forEach(p -> masters.merge(p.priorities().get(0).node(), 1, Integer::sum));
    assertThat(masters.values()).allSatisfy(n -> assertThat(n).isBetween(330, 337));

    // the operator writes each plan into its status, one by one: no replan
    started = System.nanoTime();
    for (VirtualIP v : vips) {
      VipPlan p = plan.get(v.getMetadata().getName());
      v.getStatus().setVirtualRouterId(p.virtualRouterId());
      v.getStatus()
          .setPriorities(
              p.priorities().stream().map(r -> new NodePriority(r.node(), r.priority())).toList());
      var again = planner.plan(vips, nodes);
      assertThat(again.plan()).isSameAs(plan);
    }
    long perReconcileMicros = (System.nanoTime() - started) / 1000 / vips.size();
    System.out.printf(
        "plan of 1000 VirtualIPs: %d ms; a cached plan per reconcile: %d us%n",
        firstMillis, perReconcileMicros);
    assertThat(ClusterPlanner.compute(vips, nodes)).isEqualTo(plan);

    // warm, from scratch: the cost of a replan when a VirtualIP is added
    for (int i = 0; i < 20; i++) {
      ClusterPlanner.compute(vips, nodes);
    }
    started = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      ClusterPlanner.compute(vips, nodes);
    }
    System.out.printf(
        "replan of 1000 VirtualIPs (warm): %.1f ms%n", (System.nanoTime() - started) / 20 / 1e6);
  }
}
