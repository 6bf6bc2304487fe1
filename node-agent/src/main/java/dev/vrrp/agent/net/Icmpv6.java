package dev.vrrp.agent.net;

import dev.vrrp.packet.InternetChecksum;
import dev.vrrp.packet.IpContext;
import dev.vrrp.packet.IpDatagram;

/** ICMPv6 messages in Ethernet frames: the checksum over the pseudo-header (RFC 4443 2.3). */
final class Icmpv6 {
  static final int PROTOCOL = 58;

  private Icmpv6() {}

  /** Fills in the message's checksum and wraps it in an IPv6 packet and an Ethernet frame. */
  static byte[] frame(IpContext ip, MacAddress destination, MacAddress source, byte[] icmp) {
    icmp[2] = 0;
    icmp[3] = 0;
    int checksum =
        new InternetChecksum()
            .add(ip.source().getAddress())
            .add(ip.destination().getAddress())
            .addInt(icmp.length)
            .addInt(PROTOCOL)
            .add(icmp)
            .value();
    icmp[2] = (byte) (checksum >>> 8);
    icmp[3] = (byte) checksum;
    return EthernetFrame.wrap(
        destination, source, EthernetFrame.ETHERTYPE_IPV6, IpDatagram.build(ip, PROTOCOL, icmp, 0));
  }
}
