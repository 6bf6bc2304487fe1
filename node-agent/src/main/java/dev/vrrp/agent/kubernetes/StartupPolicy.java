package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.api.vocabulary.NodeState;
import dev.vrrp.engine.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How a new VirtualIP starts without churn. The node planned highest claims it quickly ({@link
 * dev.vrrp.engine.Event.Startup#claim}) and writes no BACKUP entry before its MASTER one; the other
 * nodes hold back for up to {@link #GRACE} while nobody has reported the VirtualIP, so that agents
 * starting in any order (up to 10 s apart) give it its first master once, and at most one
 * preemption follows. Once any node reports it, the others start at once as backups.
 */
final class StartupPolicy {
  /** Longer than the 10 s by which agents may start apart, with a margin for the first write. */
  static final Duration GRACE = Duration.ofSeconds(12);

  /**
   * The planned-highest node's first wait, plus this, before its entry is written whatever it says.
   */
  static final Duration SETTLE_MARGIN = Duration.ofMillis(250);

  private final Map<String, Instant> holdingBackUntil = new HashMap<>();
  private final Set<String> quietUntilSettled = new HashSet<>();

  /**
   * Whether a node not planned highest waits before it runs a VirtualIP nobody has reported, and
   * until when. The wait starts when this node first wanted to run it.
   */
  Instant holdBackUntil(String virtualIp, Instant now) {
    return holdingBackUntil.computeIfAbsent(virtualIp, v -> now.plus(GRACE));
  }

  /** The VirtualIP was reported, started, or is gone: no more holding back. */
  void released(String virtualIp) {
    holdingBackUntil.remove(virtualIp);
  }

  /**
   * The node planned highest starts the instance: its BACKUP (or INITIALIZE) is not written until
   * the engine's first wait is over, only MASTER; returns how long that is.
   */
  Duration settleQuietly(InstanceSettings settings, boolean claim) {
    quietUntilSettled.add(settings.name());
    return Timers.startupWait(
            settings.version(), settings.priority(), settings.advertisementInterval(), claim)
        .plus(SETTLE_MARGIN);
  }

  /** The settle time is over: true when the instance was still quiet (its entry is due now). */
  boolean settled(String instance) {
    return quietUntilSettled.remove(instance);
  }

  /** Whether a transition of the instance to {@code state} is written now. */
  boolean reports(String instance, String state) {
    if (!quietUntilSettled.contains(instance)) {
      return true;
    }
    if (NodeState.BACKUP.is(state) || NodeState.INITIALIZE.is(state)) {
      return false;
    }
    quietUntilSettled.remove(instance);
    return true;
  }

  void forget(String instance) {
    quietUntilSettled.remove(instance);
  }
}
