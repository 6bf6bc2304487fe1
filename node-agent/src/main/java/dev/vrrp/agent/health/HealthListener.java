package dev.vrrp.agent.health;

/**
 * Notified (from a health thread) whenever the verdict of one instance changes. Calls for one
 * tracker come one at a time and in order; keep them short (hand the verdict to your own loop),
 * they hold up that tracker.
 */
@FunctionalInterface
public interface HealthListener {
  void verdictChanged(HealthVerdict verdict, String why);
}
