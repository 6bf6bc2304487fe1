package dev.vrrp.engine;

import dev.vrrp.packet.Advertisement;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** What happens to an instance. The driver turns packets, timers and health results into these. */
public sealed interface Event {

  /**
   * RFC 5798 6.4.1 Startup.
   *
   * @param claim the controller chose this router to be master and knows of no master: wait one
   *     Advertisement_Interval plus Skew_Time instead of Master_Down_Interval. A deliberate
   *     deviation from RFC 5798 6.4.1 (keepalived 2.2.7 waits the full interval even with {@code
   *     state MASTER}): it still hears a master that is advertising, and gives up only the
   *     tolerance for two lost advertisements. A backup that hears a master waits the full interval
   *     again.
   */
  record Startup(boolean claim) implements Event {
    public Startup() {
      this(false);
    }

    public static Startup claiming() {
      return new Startup(true);
    }
  }

  /** RFC 5798 6.4.2/6.4.3 Shutdown: graceful stop, a master resigns with priority 0. */
  record Shutdown() implements Event {}

  /** A decoded advertisement for this instance's VRID, with the sender's IP source address. */
  record AdvertisementReceived(Advertisement advertisement, InetAddress source) implements Event {}

  /** A timer the instance armed has expired. */
  record TimerExpired(TimerKind timer) implements Event {}

  /** Health tracking moved the effective priority (configured priority plus weights). */
  record PriorityChanged(int effectivePriority) implements Event {}

  /** A check without weight failed (or the link went down): the node must not hold the address. */
  record FaultRaised(String source) implements Event {}

  record FaultCleared(String source) implements Event {}

  /**
   * The configured address list changed at run time (VirtualIPs joining or leaving a shared VRID);
   * must not cause a failover. VRRPv3 only: RFC 3768 7.1 makes a v2 backup drop advertisements
   * whose list differs from its own, so v2 routers that changed at different moments would all
   * become master.
   */
  record AddressesChanged(List<InetAddress> addresses) implements Event {}

  /** The configured advertisement interval changed at run time; must not cause a failover. */
  record AdvertisementIntervalChanged(Duration interval) implements Event {}

  /**
   * The node went into planned maintenance (cordoned, or tainted for draining) or came out of it. A
   * draining router takes part at the lowest priority, so it serves only when no other router is
   * there; a draining master resigns with priority 0 at once, as on shutdown, but stays a backup.
   */
  record DrainChanged(boolean draining) implements Event {}
}
