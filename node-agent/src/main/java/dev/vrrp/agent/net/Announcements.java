package dev.vrrp.agent.net;

import dev.vrrp.packet.IpContext;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The frames that tell the segment a virtual address moved: gratuitous ARP (RFC 5227 announcement
 * form) for IPv4 and an unsolicited Neighbor Advertisement with the Override flag (RFC 4861 7.2.6)
 * for IPv6.
 */
public final class Announcements {
  private static final int NEIGHBOR_ADVERTISEMENT = 136;
  private static final InetAddress ALL_NODES = allNodes();

  private Announcements() {}

  public static byte[] gratuitousArp(Inet4Address address, MacAddress mac) {
    byte[] arp = new byte[28];
    arp[1] = 1; // Ethernet
    arp[2] = 0x08; // IPv4
    arp[4] = 6;
    arp[5] = 4;
    arp[7] = 1; // request: every host updates its cache entry for the sender
    System.arraycopy(mac.bytes(), 0, arp, 8, 6);
    System.arraycopy(address.getAddress(), 0, arp, 14, 4);
    System.arraycopy(address.getAddress(), 0, arp, 24, 4);
    return EthernetFrame.wrap(MacAddress.BROADCAST, mac, EthernetFrame.ETHERTYPE_ARP, arp);
  }

  /**
   * @param linkLocal the interface's link-local address, the source RFC 4861 requires
   */
  public static byte[] unsolicitedNeighborAdvertisement(
      Inet6Address address, MacAddress mac, InetAddress linkLocal) {
    byte[] icmp = new byte[32];
    icmp[0] = (byte) NEIGHBOR_ADVERTISEMENT;
    icmp[4] = 0x20; // Override: replace cached link-layer addresses
    System.arraycopy(address.getAddress(), 0, icmp, 8, 16);
    icmp[24] = 2; // option: target link-layer address
    icmp[25] = 1; // length in units of 8 bytes
    System.arraycopy(mac.bytes(), 0, icmp, 26, 6);
    return Icmpv6.frame(
        IpContext.outgoing(stripScope(linkLocal), ALL_NODES),
        MacAddress.ALL_NODES_IPV6_MULTICAST,
        mac,
        icmp);
  }

  public static byte[] announce(InetAddress address, MacAddress mac, InetAddress linkLocal) {
    if (address instanceof Inet4Address v4) {
      return gratuitousArp(v4, mac);
    }
    return unsolicitedNeighborAdvertisement((Inet6Address) address, mac, linkLocal);
  }

  static InetAddress stripScope(InetAddress address) {
    try {
      return InetAddress.getByAddress(address.getAddress());
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static InetAddress allNodes() {
    try {
      return InetAddress.getByName("ff02::1");
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
