package dev.vrrp.agent.config;

import java.time.Duration;

/**
 * Gratuitous ARP / unsolicited NA after becoming master, keepalived style: {@code repeat} packets
 * per address at once, the same again after {@code delay} (garp_master_delay, 0 = no second burst),
 * and every {@code refresh} while master (garp_master_refresh, 0 = off).
 */
public record AnnounceSettings(int repeat, Duration delay, Duration refresh) {
  public static final AnnounceSettings DEFAULT =
      new AnnounceSettings(5, Duration.ofSeconds(5), Duration.ZERO);
}
