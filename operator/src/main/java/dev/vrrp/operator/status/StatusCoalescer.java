package dev.vrrp.operator.status;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.ConditionStatus;
import dev.vrrp.api.vocabulary.ConditionType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the operator writes a VirtualIP's status, and what it last wrote. Thread-safe: reconciles of
 * different VirtualIPs run at once.
 *
 * <ul>
 *   <li>Coalescing: bookkeeping changes (ready count, Degraded, messages, a Ready that stays not
 *       True) wait {@link #COALESCE} before they are written, and whatever else arrives meanwhile
 *       goes into the same write: agents report BACKUP one after the other and then one reports
 *       MASTER, which makes one write, not four; on a busy API server every write counts. Master,
 *       plan, split brain, conflict and Ready turning True or from True are written at once (with
 *       everything pending), and so is a change that comes with Events.
 *   <li>Read-your-writes for the operator's own status: the informer may still hold the version
 *       before the last apply when the next reconcile starts (another event was queued meanwhile).
 *       Counting transitions or emitting Events from that stale copy would double them, so the last
 *       applied summary is remembered until the cache has caught up with its resourceVersion.
 * </ul>
 */
public final class StatusCoalescer {
  /** How long a bookkeeping change may wait for others to join it. */
  static final Duration COALESCE = Duration.ofSeconds(2);

  private record Written(long resourceVersion, OperatorStatus status) {}

  private final Map<String, Written> byUid = new ConcurrentHashMap<>();
  private final Map<String, Instant> pendingSince = new ConcurrentHashMap<>();

  /** The summary to build on: the last one written while the cache has not caught up with it. */
  public OperatorStatus previous(VirtualIP vip) {
    OperatorStatus cached = OperatorStatus.of(vip.getStatus());
    String uid = vip.getMetadata().getUid();
    Written written = uid == null ? null : byUid.get(uid);
    if (written == null) {
      return cached;
    }
    long version = parse(vip.getMetadata().getResourceVersion());
    if (version < 0 || version >= written.resourceVersion()) {
      byUid.remove(uid, written);
      return cached;
    }
    return written.status();
  }

  /**
   * How long the new summary in {@code result}, which differs from {@code previous}, is to wait
   * before it is written; empty when it is to be written now. The first call for a change starts
   * its wait.
   */
  public Optional<Duration> delay(
      VirtualIP vip, OperatorStatus previous, StatusAggregator.Result result, Instant now) {
    Duration waited = pendingFor(vip, now);
    if (urgent(previous, result.status())
        || !result.notices().isEmpty()
        || waited.compareTo(COALESCE) >= 0) {
      return Optional.empty();
    }
    return Optional.of(COALESCE.minus(waited));
  }

  /** The summary was applied and came back as {@code stored}. */
  public void written(VirtualIP stored, OperatorStatus status) {
    if (stored.getMetadata().getUid() != null) {
      pendingSince.remove(stored.getMetadata().getUid());
    }
    long version = parse(stored.getMetadata().getResourceVersion());
    if (stored.getMetadata().getUid() != null && version >= 0) {
      byUid.put(stored.getMetadata().getUid(), new Written(version, status));
    }
  }

  /** The summary equals what is stored: nothing waits. */
  public void nothingPending(VirtualIP vip) {
    if (vip.getMetadata().getUid() != null) {
      pendingSince.remove(vip.getMetadata().getUid());
    }
  }

  /** The VirtualIP is gone (or going). */
  public void forget(VirtualIP vip) {
    if (vip.getMetadata().getUid() != null) {
      byUid.remove(vip.getMetadata().getUid());
      pendingSince.remove(vip.getMetadata().getUid());
    }
  }

  /** How long an unwritten change has been waiting (zero when it was just noticed). */
  private Duration pendingFor(VirtualIP vip, Instant now) {
    String uid = vip.getMetadata().getUid();
    if (uid == null) {
      return COALESCE;
    }
    return Duration.between(pendingSince.computeIfAbsent(uid, u -> now), now);
  }

  /** Changes that must not wait: see {@link #COALESCE}. */
  static boolean urgent(OperatorStatus before, OperatorStatus after) {
    if (!Objects.equals(before.master(), after.master())
        || !Objects.equals(before.virtualRouterId(), after.virtualRouterId())
        || !before.priorities().equals(after.priorities())
        || !Objects.equals(before.observedGeneration(), after.observedGeneration())) {
      return true;
    }
    for (ConditionType type : List.of(ConditionType.SPLIT_BRAIN, ConditionType.CONFLICT)) {
      if (!status(before, type).equals(status(after, type))) {
        return true;
      }
    }
    String readyBefore = status(before, ConditionType.READY);
    String readyAfter = status(after, ConditionType.READY);
    return !readyBefore.equals(readyAfter)
        && (ConditionStatus.TRUE.is(readyBefore)
            || ConditionStatus.TRUE.is(readyAfter)
            || readyBefore.isEmpty());
  }

  private static String status(OperatorStatus status, ConditionType type) {
    return status.condition(type).map(OperatorStatus.StatusCondition::status).orElse("");
  }

  private static long parse(String resourceVersion) {
    try {
      return resourceVersion == null ? -1 : Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
