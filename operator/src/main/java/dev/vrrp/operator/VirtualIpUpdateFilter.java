package dev.vrrp.operator;

import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.NodeState;
import dev.vrrp.operator.status.StatusAggregator;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Which VirtualIP updates start a reconcile: a spec change (generation), deletion, a finalizer
 * change, or a change of the agents' {@code status.nodes} entries (state, priority, ...). The
 * operator's own status writes change none of these, so they do not loop back into another
 * reconcile. Status-only changes do not bump the generation, so generation-aware filtering (the
 * JOSDK default) would drop the agents' reports; this filter replaces it.
 *
 * <p>A heartbeat that only refreshes entries which are still fresh, while at most one entry says
 * MASTER, changes nothing the aggregation shows, and with hundreds of VirtualIPs the heartbeats are
 * most of the agents' writes: it is skipped. The reconcile that ran for the entry's previous
 * heartbeat looks again when that one would have gone stale ({@link
 * StatusAggregator.Result#recheckIn()}), and then reads the newer one from the cache. News are a
 * heartbeat that revives a stale entry (Unknown becomes its state again), and any heartbeat while
 * two entries say MASTER: whether a master refreshed its entry after another's takeover is what
 * tells a split brain from a master that died.
 */
final class VirtualIpUpdateFilter implements OnUpdateFilter<VirtualIP> {
  private record Entry(
      String name,
      String state,
      Integer priority,
      Integer effectivePriority,
      String address,
      String lastTransitionTime,
      Long transitions,
      String reason,
      String message) {}

  private final BiPredicate<NodeStatus, Instant> fresh;
  private final Clock clock;

  /** {@code fresh}: the aggregation's rule for an entry whose heartbeat counts at a moment. */
  VirtualIpUpdateFilter(BiPredicate<NodeStatus, Instant> fresh, Clock clock) {
    this.fresh = fresh;
    this.clock = clock;
  }

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
        || entriesChanged(nodes(newResource), nodes(oldResource));
  }

  private boolean entriesChanged(List<NodeStatus> now, List<NodeStatus> before) {
    if (now.size() != before.size()) {
      return true;
    }
    Instant at = clock.instant();
    boolean severalMasters =
        now.stream().filter(e -> NodeState.MASTER.is(e.getState())).count() > 1;
    for (int i = 0; i < now.size(); i++) {
      NodeStatus a = now.get(i);
      NodeStatus b = before.get(i);
      if (!entry(a).equals(entry(b))) {
        return true;
      }
      if (!Objects.equals(a.getHeartbeatTime(), b.getHeartbeatTime())
          && (severalMasters || !fresh.test(b, at))) {
        return true;
      }
    }
    return false;
  }

  private static List<NodeStatus> nodes(VirtualIP vip) {
    return vip.getStatus() == null || vip.getStatus().getNodes() == null
        ? List.of()
        : vip.getStatus().getNodes();
  }

  private static Entry entry(NodeStatus e) {
    return new Entry(
        e.getName(),
        e.getState(),
        e.getPriority(),
        e.getEffectivePriority(),
        e.getAddress(),
        e.getLastTransitionTime(),
        e.getTransitions(),
        e.getReason(),
        e.getMessage());
  }
}
