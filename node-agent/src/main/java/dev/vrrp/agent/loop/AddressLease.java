package dev.vrrp.agent.loop;

import java.time.Duration;

/**
 * How long a master's addresses live in the kernel unless renewed (the data path check renews them
 * every second). An agent killed with SIGKILL cannot remove its addresses, and the kubelet may take
 * minutes to restart it (CrashLoopBackOff): without a lease its node would keep answering for the
 * VIP next to the new master. The lease outlasts any backup's Master_Down_Interval (three intervals
 * plus a skew of less than one), so the data path is never cut before a backup takes over, and it
 * ends at most about a second after.
 */
public final class AddressLease {
  /** Two renewals may be missed (a long pause of the JVM) before the kernel lets go. */
  static final Duration SHORTEST = Duration.ofSeconds(3);

  private AddressLease() {}

  public static Duration of(Duration advertisementInterval) {
    long fourIntervalsMs = advertisementInterval.toMillis() * 4;
    long seconds = (fourIntervalsMs + 999) / 1000 + 1;
    return Duration.ofSeconds(Math.max(SHORTEST.toSeconds(), seconds));
  }
}
