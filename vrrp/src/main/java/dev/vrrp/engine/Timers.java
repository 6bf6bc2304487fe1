package dev.vrrp.engine;

import java.time.Duration;

/**
 * The timer formulas of RFC 5798 6.1 and RFC 3768 6.1, as pure functions with microsecond
 * precision.
 */
public final class Timers {
  private static final long MICROS_PER_SECOND = 1_000_000L;

  private Timers() {}

  /**
   * RFC 5798 6.1: {@code Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256}. A higher
   * priority waits less, so the best backup takes over first.
   */
  public static Duration skewTime(int version, int priority, Duration masterAdverInterval) {
    if (version == 2) {
      // RFC 3768 6.1: Skew_Time = (256 - Priority) / 256 seconds, independent of the interval.
      return micros((256L - priority) * MICROS_PER_SECOND / 256);
    }
    return micros((256L - priority) * toMicros(masterAdverInterval) / 256);
  }

  /** RFC 5798 6.1: {@code Master_Down_Interval = (3 * Master_Adver_Interval) + Skew_Time}. */
  public static Duration masterDownInterval(
      int version, int priority, Duration masterAdverInterval) {
    return masterAdverInterval
        .multipliedBy(3)
        .plus(skewTime(version, priority, masterAdverInterval));
  }

  /**
   * How long a starting Backup waits before it becomes Master: Master_Down_Interval (RFC 5798
   * 6.4.1), or for a claiming startup ({@link Event.Startup#claim}) {@code Advertisement_Interval +
   * Skew_Time}, long enough to hear one advertisement of a master that exists.
   */
  public static Duration startupWait(
      int version, int priority, Duration advertisementInterval, boolean claim) {
    return claim
        ? advertisementInterval.plus(skewTime(version, priority, advertisementInterval))
        : masterDownInterval(version, priority, advertisementInterval);
  }

  public static Duration centis(int centiseconds) {
    return Duration.ofMillis(centiseconds * 10L);
  }

  public static int toCentis(Duration duration) {
    return (int) (duration.toMillis() / 10);
  }

  private static long toMicros(Duration duration) {
    return duration.toNanos() / 1_000;
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1_000);
  }
}
