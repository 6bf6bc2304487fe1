package dev.vrrp.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/** The router the engine's tests run: VRID 7 at 192.0.2.11, a peer at .12, one VIP. */
final class TestRouter {
  static final InetAddress SELF = ip("192.0.2.11");
  static final InetAddress PEER = ip("192.0.2.12");
  static final InetAddress VIP = ip("198.51.100.1");
  static final int VRID = 7;
  static final Duration INTERVAL = Duration.ofMillis(300);

  private TestRouter() {}

  /** VRRPv3, {@link #INTERVAL}, no preempt delay, {@link #VIP} only. */
  static InstanceConfig v3(int priority, boolean preempt) {
    return new InstanceConfig(
        3, VRID, priority, INTERVAL, preempt, Duration.ZERO, List.of(VIP), SELF, null);
  }

  static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
