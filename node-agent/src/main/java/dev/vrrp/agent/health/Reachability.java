package dev.vrrp.agent.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;

/**
 * Asks whether a neighbour answers. A seam so the gateway probe's route logic is testable without
 * root.
 */
@FunctionalInterface
interface Reachability {
  /**
   * @param via the interface to send from, or null for whatever the routing table picks
   */
  boolean answers(InetAddress target, NetworkInterface via, int timeoutMillis) throws IOException;

  /**
   * ICMP echo through {@link InetAddress#isReachable(NetworkInterface, int, int)}, chosen over
   * arping because:
   *
   * <ul>
   *   <li>it covers both families; arping is IPv4 only, IPv6 would need a second tool (ndisc6) and
   *       code path;
   *   <li>no external binary in the image and no fork every interval; and the two arping
   *       implementations in distributions (iputils, Thomas Habets') disagree on flags and exit
   *       codes;
   *   <li>the echo needs the gateway's ARP/NDP entry first, so it tests the layer-2 path arping
   *       tests, and then also that the gateway's IP stack forwards traffic for us, which is what
   *       the VIP needs.
   * </ul>
   *
   * The JDK sends raw ICMP when it may (root, or CAP_NET_RAW, which the agent has for VRRP anyway).
   * Without that right it falls back to a TCP connect to port 7 and counts "refused" as reachable,
   * which still proves the gateway answers. A gateway that drops ICMP echo looks down to this
   * probe; for such a network use an exec check with arping instead.
   */
  Reachability ICMP_ECHO =
      (target, via, timeoutMillis) -> target.isReachable(via, 0, timeoutMillis);
}
