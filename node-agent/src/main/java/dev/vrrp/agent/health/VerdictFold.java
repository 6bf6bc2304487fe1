package dev.vrrp.agent.health;

import java.util.Set;
import java.util.TreeSet;

/** Folds check states into one verdict, with keepalived's weight rules. */
final class VerdictFold {
  private VerdictFold() {}

  /** keepalived's bound: a file check whose number times weight is below it means FAULT. */
  static final long FAULT_BELOW = -253;

  /**
   * weight 0: failing puts the instance in FAULT. weight &gt; 0: added while healthy. weight &lt;
   * 0: added while failing. A check that read a number (file) with a weight adds number x weight,
   * FAULT below -253. Pass only checks that have a state; a check still waiting for its first probe
   * counts for nothing.
   */
  static HealthVerdict fold(Iterable<CheckState> checks) {
    int delta = 0;
    Set<String> faulting = new TreeSet<>();
    for (CheckState check : checks) {
      if (check.value() != null && check.weight() != 0) {
        long weighted = check.value() * check.weight();
        if (weighted < FAULT_BELOW) {
          faulting.add(check.name());
        } else {
          delta += (int) Math.min(weighted, Integer.MAX_VALUE / 2);
        }
      } else if (check.weight() == 0) {
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
