package dev.vrrp.api;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Optional;

/**
 * When a node is in planned maintenance: its agent hands every VirtualIP over with priority 0 and
 * stays a backup at the lowest priority, so it serves only when no other node can. {@code kubectl
 * drain} does not evict DaemonSet pods, so without this a drained master would keep its addresses.
 */
public final class NodeMaintenance {
  /** A taint that drains a node of its VirtualIPs without cordoning it (any value, any effect). */
  public static final String DRAIN_TAINT = "vrrp.dev/drain";

  private NodeMaintenance() {}

  /** Why the node is in maintenance (cordoned, or tainted {@value #DRAIN_TAINT}), if it is. */
  public static Optional<String> reason(Node node) {
    if (node == null || node.getSpec() == null) {
      return Optional.empty();
    }
    if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return Optional.of("the node is cordoned (spec.unschedulable)");
    }
    List<Taint> taints = node.getSpec().getTaints();
    if (taints != null && taints.stream().anyMatch(t -> DRAIN_TAINT.equals(t.getKey()))) {
      return Optional.of("the node has the taint " + DRAIN_TAINT);
    }
    return Optional.empty();
  }
}
