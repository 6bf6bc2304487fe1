package dev.vrrp.operator.plan;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The plan for every VirtualIP, computed from all of them at once (VRIDs and ranking are global).
 */
public record ClusterPlan(Map<String, VipPlan> byName) {
  public ClusterPlan {
    byName = Map.copyOf(byName);
  }

  VipPlan get(String name) {
    return byName.get(name);
  }

  /** Names whose plan differs between {@code before} (may be null) and this plan. */
  Set<String> changedSince(ClusterPlan before) {
    Set<String> changed = new HashSet<>();
    Map<String, VipPlan> old = before == null ? Map.of() : before.byName();
    byName.forEach(
        (name, plan) -> {
          if (!Objects.equals(plan, old.get(name))) {
            changed.add(name);
          }
        });
    return changed;
  }
}
