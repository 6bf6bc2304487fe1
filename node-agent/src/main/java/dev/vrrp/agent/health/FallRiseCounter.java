package dev.vrrp.agent.health;

/**
 * keepalived's fall/rise hysteresis for one check: a healthy check turns failing after {@code fall}
 * failed probes in a row, a failing one turns healthy after {@code rise} successes in a row. The
 * very first result sets the state at once, so an instance does not spend {@code fall} intervals
 * believing in a check that never worked.
 *
 * <p>Not thread-safe; the tracker serialises results.
 */
final class FallRiseCounter {
  private final int fall;
  private final int rise;
  private boolean known;
  private boolean healthy;
  private int streak; // consecutive results that disagree with the current state

  FallRiseCounter(int fall, int rise) {
    if (fall < 1 || rise < 1) {
      throw new IllegalArgumentException(
          "fall and rise must be at least 1, got fall=" + fall + " rise=" + rise);
    }
    this.fall = fall;
    this.rise = rise;
  }

  /**
   * Counts one probe result; returns true when it changed the state (the first result always does).
   */
  boolean record(boolean ok) {
    if (!known) {
      known = true;
      healthy = ok;
      return true;
    }
    if (ok == healthy) {
      streak = 0;
      return false;
    }
    streak++;
    if (streak < needed()) {
      return false;
    }
    healthy = ok;
    streak = 0;
    return true;
  }

  boolean known() {
    return known;
  }

  boolean healthy() {
    return healthy;
  }

  /** How many results in a row have disagreed with the state so far. */
  int streak() {
    return streak;
  }

  /** How many disagreeing results in a row flip the current state. */
  int needed() {
    return healthy ? fall : rise;
  }
}
