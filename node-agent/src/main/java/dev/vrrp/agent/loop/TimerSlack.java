package dev.vrrp.agent.loop;

import dev.vrrp.engine.TimerKind;
import java.time.Duration;

/**
 * Lets advertisement timers of slow instances (interval of at least 500 ms) fire on a shared 20 ms
 * grid, so a loop serving hundreds of instances wakes up once per grid slot instead of once per
 * instance. An advertisement goes out at most 20 ms late (4% of the shortest interval it applies
 * to); backups allow three intervals plus skew, so no failover can come of it. Master_Down and fast
 * (100 ms) advertisement timers are never moved: they are the failover path.
 */
final class TimerSlack {
  static final long GRID_NANOS = 20_000_000L;
  static final long MIN_INTERVAL_NANOS = 500_000_000L;

  private TimerSlack() {}

  static long delayNanos(TimerKind timer, Duration delay, long nowNanos) {
    long nanos = delay.toNanos();
    if (timer != TimerKind.ADVERTISEMENT || nanos < MIN_INTERVAL_NANOS) {
      return nanos;
    }
    long due = nowNanos + nanos;
    long late = Math.floorMod(due, GRID_NANOS);
    return late == 0 ? nanos : nanos + (GRID_NANOS - late);
  }
}
