package dev.vrrp.operator.services;

import dev.vrrp.api.Problem;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPPoolStatus;
import dev.vrrp.api.vocabulary.ConditionStatus;
import dev.vrrp.api.vocabulary.ConditionType;
import dev.vrrp.api.vocabulary.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A pool's status from its catalog entry and its usage (pure): the counts, {@code Ready} (usable,
 * or why not: its spec, an overlap with an older pool) and {@code Exhausted}. A condition keeps its
 * lastTransitionTime while its status stays.
 */
public final class PoolStatuses {
  private PoolStatuses() {}

  /**
   * @param usage the pool's usage, empty when it is unusable
   * @param previous the status the pool has now (null when none)
   */
  public static VirtualIPPoolStatus of(
      VirtualIPPool pool,
      PoolCatalog.Entry entry,
      Optional<PoolUsage> usage,
      VirtualIPPoolStatus previous,
      Instant now) {
    VirtualIPPoolStatus status = new VirtualIPPoolStatus();
    status.setObservedGeneration(pool.getMetadata().getGeneration());
    List<Condition> before = previous == null ? List.of() : previous.getConditions();
    if (usage.isEmpty()) {
      boolean overlap =
          entry.problems().stream().anyMatch(p -> p.message().contains("overlaps pool"));
      String message =
          entry.problems().stream().map(Problem::toString).collect(Collectors.joining("; "));
      status.setConditions(
          List.of(
              condition(
                  ConditionType.READY,
                  ConditionStatus.FALSE,
                  overlap ? Reason.ADDRESS_CONFLICT : Reason.INVALID_SPEC,
                  "hands out nothing: " + message,
                  pool,
                  before,
                  now)));
      return status;
    }
    PoolUsage u = usage.get();
    status.setTotal(u.total().toString());
    status.setAssigned(u.assigned().toString());
    status.setAvailable(u.available().toString());
    boolean exhausted = u.available().signum() == 0;
    status.setConditions(
        List.of(
            condition(
                ConditionType.READY,
                ConditionStatus.TRUE,
                Reason.POOL_USABLE,
                u.assigned() + " of " + u.total() + " addresses assigned",
                pool,
                before,
                now),
            condition(
                ConditionType.EXHAUSTED,
                exhausted ? ConditionStatus.TRUE : ConditionStatus.FALSE,
                exhausted ? Reason.POOL_EXHAUSTED : Reason.ADDRESSES_AVAILABLE,
                exhausted
                    ? "no address left: Services asking for one wait (their Events say so)"
                    : u.available() + " addresses left",
                pool,
                before,
                now)));
    return status;
  }

  /** Whether two statuses say the same, transition times aside. */
  public static boolean same(VirtualIPPoolStatus a, VirtualIPPoolStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getTotal(), b.getTotal())
        && Objects.equals(a.getAssigned(), b.getAssigned())
        && Objects.equals(a.getAvailable(), b.getAvailable())
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(words(a.getConditions()), words(b.getConditions()));
  }

  private static List<String> words(List<Condition> conditions) {
    return conditions.stream()
        .map(c -> c.getType() + "/" + c.getStatus() + "/" + c.getReason() + "/" + c.getMessage())
        .toList();
  }

  private static Condition condition(
      ConditionType type,
      ConditionStatus status,
      Reason reason,
      String message,
      VirtualIPPool pool,
      List<Condition> before,
      Instant now) {
    String since =
        before.stream()
            .filter(c -> type.wire().equals(c.getType()) && status.wire().equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type.wire())
        .withStatus(status.wire())
        .withReason(reason.wire())
        .withMessage(message)
        .withObservedGeneration(pool.getMetadata().getGeneration())
        .withLastTransitionTime(since)
        .build();
  }
}
