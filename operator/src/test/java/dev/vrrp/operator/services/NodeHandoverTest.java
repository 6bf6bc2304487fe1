package dev.vrrp.operator.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import dev.vrrp.operator.services.NodeHandover.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeHandoverTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  /** A Service's VirtualIP on {@code nodes} (null: unset), mastered by {@code master}. */
  private static VirtualIP vip(List<String> nodes, String master, NodeStatus... entries) {
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName("lb-192-0-2-200");
    vip.setSpec(new VirtualIPSpec());
    vip.getSpec().setAddresses(List.of("192.0.2.200"));
    vip.getSpec().setNodeNames(nodes == null ? null : new ArrayList<>(nodes));
    vip.setStatus(new VirtualIPStatus());
    vip.getStatus().setMaster(master);
    vip.getStatus().setNodes(new ArrayList<>(List.of(entries)));
    return vip;
  }

  private static NodeStatus entry(String node, String state, Instant heartbeat) {
    NodeStatus e = new NodeStatus();
    e.setName(node);
    e.setState(state);
    e.setHeartbeatTime(heartbeat.toString());
    return e;
  }

  private static VirtualIP handingOverSince(VirtualIP vip, Instant since) {
    vip.getMetadata().getAnnotations().put(LoadBalancers.HANDOVER_ANNOTATION, since.toString());
    return vip;
  }

  @Test
  void aClusterServiceLeavesTheNodesUnsetAndUnsetsThemWhenItWasLocal() {
    assertThat(NodeHandover.next(vip(null, "node-a"), null, NOW)).isEmpty();
    assertThat(NodeHandover.next(vip(List.of("node-a"), "node-a"), null, NOW))
        .contains(new Step(null, null));
  }

  @Test
  void nodesWithReadyEndpointsAreTakenAsTheyAreWhileTheMasterKeepsItsEndpoint() {
    assertThat(NodeHandover.next(vip(List.of("node-a"), "node-a"), Set.of("node-a"), NOW))
        .as("already there")
        .isEmpty();
    assertThat(NodeHandover.next(vip(List.of("node-a"), "node-a"), Set.of("node-b", "node-a"), NOW))
        .as("a new endpoint adds its node as a backup")
        .contains(new Step(List.of("node-a", "node-b"), null));
    assertThat(NodeHandover.next(vip(List.of("node-a", "node-b"), "node-a"), Set.of("node-a"), NOW))
        .as("a backup without endpoint leaves")
        .contains(new Step(List.of("node-a"), null));
    assertThat(NodeHandover.next(vip(List.of("node-a"), null), Set.of("node-c"), NOW))
        .as("no master: nothing to hand over")
        .contains(new Step(List.of("node-c"), null));
  }

  @Test
  void withNoReadyEndpointAnywhereNoNodeMayHoldTheAddress() {
    assertThat(NodeHandover.next(vip(List.of("node-a"), "node-a"), Set.of(), NOW))
        .contains(new Step(List.of(), null));
    assertThat(NodeHandover.next(vip(List.of(), null), Set.of(), NOW)).isEmpty();
  }

  @Test
  void aMasterThatLosesItsEndpointStaysBesideTheNewNodesUntilOneReportsBackup() {
    VirtualIP before = vip(List.of("node-a"), "node-a");
    assertThat(NodeHandover.next(before, Set.of("node-b"), NOW))
        .as("make before break: the master stays, the new node joins, the wait begins")
        .contains(new Step(List.of("node-a", "node-b"), NOW));

    VirtualIP bridged =
        handingOverSince(
            vip(
                List.of("node-a", "node-b"),
                "node-a",
                entry("node-a", "MASTER", NOW),
                entry("node-b", "INIT", NOW)),
            NOW.minusSeconds(2));
    assertThat(NodeHandover.next(bridged, Set.of("node-b"), NOW))
        .as("the new node has not reported BACKUP yet")
        .isEmpty();

    VirtualIP ready =
        handingOverSince(
            vip(
                List.of("node-a", "node-b"),
                "node-a",
                entry("node-a", "MASTER", NOW),
                entry("node-b", "BACKUP", NOW.minusSeconds(1))),
            NOW.minusSeconds(2));
    assertThat(NodeHandover.next(ready, Set.of("node-b"), NOW))
        .as("a backup is ready: the master is dropped (and resigns), the mark goes")
        .contains(new Step(List.of("node-b"), null));
  }

  @Test
  void aStaleBackupEntryDoesNotCountAndTheWaitEndsAfterTheTimeout() {
    VirtualIP stale =
        handingOverSince(
            vip(
                List.of("node-a", "node-b"),
                "node-a",
                entry("node-b", "BACKUP", NOW.minus(NodeHandover.ENTRY_WINDOW).minusSeconds(1))),
            NOW.minusSeconds(3));
    assertThat(NodeHandover.next(stale, Set.of("node-b"), NOW)).isEmpty();

    VirtualIP late =
        handingOverSince(
            vip(List.of("node-a", "node-b"), "node-a"), NOW.minus(NodeHandover.TIMEOUT));
    assertThat(NodeHandover.next(late, Set.of("node-b"), NOW))
        .as("a new node that never reports does not keep the address on a node without endpoint")
        .contains(new Step(List.of("node-b"), null));
  }

  @Test
  void aHandoverThatChangesTargetOnTheWayKeepsItsStartAndTheMaster() {
    VirtualIP bridged =
        handingOverSince(vip(List.of("node-a", "node-b"), "node-a"), NOW.minusSeconds(4));
    assertThat(NodeHandover.next(bridged, Set.of("node-c"), NOW))
        .contains(new Step(List.of("node-a", "node-c"), NOW.minusSeconds(4)));
  }

  @Test
  void theMarkIsRemovedOnceTheMasterHasEndpointsAgain() {
    VirtualIP bridged =
        handingOverSince(vip(List.of("node-a", "node-b"), "node-a"), NOW.minusSeconds(4));
    assertThat(NodeHandover.next(bridged, Set.of("node-a", "node-b"), NOW))
        .contains(new Step(List.of("node-a", "node-b"), null));
  }

  @Test
  void aBridgeSetByHandWithoutAMarkStartsTheWaitRatherThanDroppingTheMaster() {
    assertThat(NodeHandover.next(vip(List.of("node-a", "node-b"), "node-a"), Set.of("node-b"), NOW))
        .contains(new Step(List.of("node-a", "node-b"), NOW));
  }
}
