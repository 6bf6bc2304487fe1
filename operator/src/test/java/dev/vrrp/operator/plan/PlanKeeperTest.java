package dev.vrrp.operator.plan;

import static dev.vrrp.operator.Vips.node;
import static dev.vrrp.operator.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanKeeperTest {
  private final List<VirtualIP> vips = new CopyOnWriteArrayList<>();
  private final List<Node> nodes = List.of(node("n1"), node("n2"));
  private final Set<String> notified = ConcurrentHashMap.newKeySet();
  private final PlanKeeper keeper = new PlanKeeper(new ClusterPlanner(), plan -> {});

  PlanKeeperTest() {
    keeper.bind(() -> List.copyOf(vips), () -> nodes, notified::addAll);
  }

  @AfterEach
  void close() {
    keeper.close();
  }

  @Test
  void aNewVirtualIpIsPlannedOnThePlannerThreadAndThenReconciled() {
    VirtualIP a = vip("a").created(1).addresses("192.0.2.1").build();
    vips.add(a);
    assertThat(keeper.planFor(a)).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> notified.contains("a"));
    assertThat(keeper.planFor(a)).hasValueSatisfying(p -> assertThat(p.installed()).isTrue());
  }

  @Test
  void aSpecChangeWaitsForItsOwnPlan() {
    VirtualIP a = vip("a").created(1).addresses("192.0.2.1").build();
    vips.add(a);
    keeper.requestReplan();
    await().atMost(Duration.ofSeconds(5)).until(() -> keeper.planFor(a).isPresent());
    VirtualIP changed = vip("a").created(1).addresses("192.0.2.1").vrid(77).generation(2).build();
    vips.set(0, changed);
    notified.clear();
    assertThat(keeper.planFor(changed)).as("the published plan is of generation 1").isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> notified.contains("a"));
    assertThat(keeper.planFor(changed))
        .hasValueSatisfying(p -> assertThat(p.virtualRouterId()).isEqualTo(77));
  }

  @Test
  void whenAnAddressOwnerGoesTheOtherIsReconciled() {
    VirtualIP owner = vip("owner").created(1).addresses("192.0.2.1").build();
    VirtualIP other = vip("other").created(2).addresses("192.0.2.1").build();
    vips.addAll(List.of(owner, other));
    keeper.requestReplan();
    await().atMost(Duration.ofSeconds(5)).until(() -> keeper.planFor(other).isPresent());
    assertThat(keeper.planFor(other).orElseThrow().conflict().reason().wire())
        .isEqualTo("AddressConflict");
    notified.clear();
    vips.remove(owner);
    keeper.requestReplan();
    await().atMost(Duration.ofSeconds(5)).until(() -> notified.contains("other"));
    assertThat(notified).doesNotContain("owner");
    assertThat(keeper.planFor(other).orElseThrow().installed()).isTrue();
  }
}
