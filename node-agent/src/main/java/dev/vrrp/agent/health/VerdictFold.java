package dev.vrrp.agent.health;

import java.util.Set;
import java.util.TreeSet;

/** Folds check states into one verdict, with keepalived's weight rules. */
final class VerdictFold {
  private VerdictFold() {}

  /**
   * weight 0: failing puts the instance in FAULT. weight &gt; 0: added while healthy. weight &lt;
   * 0: added while failing. Pass only checks that have a state; a check still waiting for its first
   * probe counts for nothing.
   */
  static HealthVerdict fold(Iterable<CheckState> checks) {
    int delta = 0;
    Set<String> faulting = new TreeSet<>();
    for (CheckState check : checks) {
      if (check.weight() == 0) {
        if (!check.healthy()) {
          faulting.add(check.name());
        }
      } else if (check.weight() > 0 && check.healthy() || check.weight() < 0 && !check.healthy()) {
        delta += check.weight();
      }
    }
    return new HealthVerdict(delta, faulting);
  }
}
