package dev.vrrp.operator.status;

import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.EventType;
import dev.vrrp.api.vocabulary.NodeState;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.operator.meta.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides when a deleted VirtualIP may go: the finalizer {@link VirtualIP#RELEASE_FINALIZER} stays
 * until every agent that reported on it says RELEASED (it removed the addresses) or has gone silent
 * (its entry is older than the heartbeat window: a dead node holds nothing it can answer for). A
 * node that never reported never installed it. After {@code timeout} since the deletion the
 * finalizer goes anyway, so an unreachable node cannot block deletion forever. Pure.
 */
public final class ReleaseGate {
  private final StatusAggregator freshness;
  private final Duration timeout;

  public ReleaseGate(StatusAggregator freshness, Duration timeout) {
    this.freshness = freshness;
    this.timeout = timeout;
  }

  /**
   * The decision.
   *
   * @param release true when the finalizer may be removed
   * @param timedOut true when it is removed because the timeout passed, not because all released
   * @param pending the nodes still holding (fresh and not RELEASED)
   */
  public record Decision(boolean release, boolean timedOut, List<String> pending) {}

  public Decision decide(VirtualIP vip, Instant now) {
    List<String> pending = new ArrayList<>();
    List<NodeStatus> entries =
        vip.getStatus() == null || vip.getStatus().getNodes() == null
            ? List.of()
            : vip.getStatus().getNodes();
    for (NodeStatus entry : entries) {
      if (!NodeState.RELEASED.is(entry.getState()) && freshness.fresh(entry, now)) {
        pending.add(entry.getName());
      }
    }
    pending.sort(null);
    if (pending.isEmpty()) {
      return new Decision(true, false, pending);
    }
    Instant deleted = deletedAt(vip);
    boolean timedOut = deleted != null && !deleted.plus(timeout).isAfter(now);
    return new Decision(timedOut, timedOut, pending);
  }

  /**
   * How long to wait before looking again when not released: until the timeout, at most {@code
   * cap}.
   */
  public Duration waitFor(VirtualIP vip, Instant now, Duration cap) {
    Instant deleted = deletedAt(vip);
    if (deleted == null) {
      return cap;
    }
    Duration left = Duration.between(now, deleted.plus(timeout)).plusMillis(100);
    return left.isNegative() || left.compareTo(cap) > 0 ? cap : left;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The Event that says why the finalizer of {@code vip} goes, for a decision that releases it. */
  public StatusAggregator.Notice notice(VirtualIP vip, Decision decision) {
    if (decision.timedOut()) {
      return new StatusAggregator.Notice(
          EventType.WARNING,
          Reason.RELEASE_TIMED_OUT,
          "nodes "
              + String.join(", ", decision.pending())
              + " did not confirm releasing "
              + addresses(vip)
              + " within "
              + timeout.toSeconds()
              + "s; removing the finalizer anyway");
    }
    return new StatusAggregator.Notice(
        EventType.NORMAL, Reason.ADDRESSES_RELEASED, "every agent released " + addresses(vip));
  }

  private static String addresses(VirtualIP vip) {
    return vip.getSpec() == null ? "" : String.join(", ", vip.getSpec().getAddresses());
  }

  /** The deletion time, or null when none parses: then the timeout never passes. */
  private static Instant deletedAt(VirtualIP vip) {
    return Timestamps.parse(vip.getMetadata().getDeletionTimestamp()).orElse(null);
  }
}
