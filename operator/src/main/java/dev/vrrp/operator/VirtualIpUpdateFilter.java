package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.List;
import java.util.Objects;

/**
 * Which VirtualIP updates start a reconcile: a spec change (generation), deletion, a finalizer
 * change, or a change of the agents' {@code status.nodes} entries (state, heartbeat, ...). The
 * operator's own status writes change none of these, so they do not loop back into another
 * reconcile. Status-only changes do not bump the generation, so generation-aware filtering (the
 * JOSDK default) would drop the agents' reports; this filter replaces it.
 */
final class VirtualIpUpdateFilter implements OnUpdateFilter<VirtualIP> {
  private record Entry(
      String name,
      String state,
      Integer priority,
      Integer effectivePriority,
      String address,
      String lastTransitionTime,
      String heartbeatTime,
      Long transitions,
      String message) {}

  @Override
  public boolean accept(VirtualIP newResource, VirtualIP oldResource) {
    if (oldResource == null) {
      return true;
    }
    var n = newResource.getMetadata();
    var o = oldResource.getMetadata();
    return !Objects.equals(n.getGeneration(), o.getGeneration())
        || !Objects.equals(n.getDeletionTimestamp(), o.getDeletionTimestamp())
        || !Objects.equals(n.getFinalizers(), o.getFinalizers())
        || !entries(newResource).equals(entries(oldResource));
  }

  private static List<Entry> entries(VirtualIP vip) {
    if (vip.getStatus() == null || vip.getStatus().getNodes() == null) {
      return List.of();
    }
    return vip.getStatus().getNodes().stream().map(VirtualIpUpdateFilter::entry).toList();
  }

  private static Entry entry(NodeStatus e) {
    return new Entry(
        e.getName(),
        e.getState(),
        e.getPriority(),
        e.getEffectivePriority(),
        e.getAddress(),
        e.getLastTransitionTime(),
        e.getHeartbeatTime(),
        e.getTransitions(),
        e.getMessage());
  }
}
