package dev.vrrp.agent.health;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What tracking says about an instance now.
 *
 * @param priorityDelta what to add to the configured priority (unclamped: keeping the result in
 *     1-254 is the engine's job, as in keepalived)
 * @param faultingChecks the failing checks with weight 0; while not empty the instance must be in
 *     FAULT
 */
public record HealthVerdict(int priorityDelta, Set<String> faultingChecks) {
  public static final HealthVerdict HEALTHY = new HealthVerdict(0, Set.of());

  public HealthVerdict {
    // Sorted, so logs and the /state JSON list the checks in a stable order.
    faultingChecks = Collections.unmodifiableSortedSet(new TreeSet<>(faultingChecks));
  }

  public boolean faulted() {
    return !faultingChecks.isEmpty();
  }
}
