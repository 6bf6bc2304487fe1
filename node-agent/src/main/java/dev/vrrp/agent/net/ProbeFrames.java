package dev.vrrp.agent.net;

import dev.vrrp.packet.IpContext;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The frames of an address probe, and the answers that say an address is taken. Pure.
 *
 * <ul>
 *   <li>IPv4 (RFC 5227 2.1.1): an ARP request from our MAC with sender IP 0.0.0.0 (so no host
 *       learns anything from it) for the address; taken when an ARP packet (reply or request) has
 *       the address as sender IP and another MAC.
 *   <li>IPv6 (RFC 4862 5.4.2): a Neighbor Solicitation from :: to the address' solicited-node group
 *       for it, hop limit 255; taken when a Neighbor Advertisement for it comes from another MAC.
 * </ul>
 */
final class ProbeFrames {
  private static final int NEIGHBOR_SOLICITATION = 135;
  private static final int NEIGHBOR_ADVERTISEMENT = 136;

  private ProbeFrames() {}

  static byte[] probe(InetAddress address, MacAddress ownMac) {
    return address instanceof Inet4Address v4
        ? arpProbe(v4, ownMac)
        : neighborSolicitation((Inet6Address) address, ownMac);
  }

  static byte[] arpProbe(Inet4Address address, MacAddress ownMac) {
    byte[] arp = new byte[28];
    arp[1] = 1; // Ethernet
    arp[2] = 0x08; // IPv4
    arp[4] = 6;
    arp[5] = 4;
    arp[7] = 1; // request
    System.arraycopy(ownMac.bytes(), 0, arp, 8, 6);
    // sender IP 0.0.0.0, target MAC zero
    System.arraycopy(address.getAddress(), 0, arp, 24, 4);
    return EthernetFrame.wrap(MacAddress.BROADCAST, ownMac, EthernetFrame.ETHERTYPE_ARP, arp);
  }

  static byte[] neighborSolicitation(Inet6Address address, MacAddress ownMac) {
    byte[] target = address.getAddress();
    byte[] group = new byte[16];
    group[0] = (byte) 0xff;
    group[1] = 0x02;
    group[11] = 0x01;
    group[12] = (byte) 0xff;
    System.arraycopy(target, 13, group, 13, 3);
    InetAddress unspecified;
    InetAddress solicitedNode;
    try {
      unspecified = InetAddress.getByAddress(new byte[16]);
      solicitedNode = InetAddress.getByAddress(group);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
    byte[] icmp = new byte[24];
    icmp[0] = (byte) NEIGHBOR_SOLICITATION;
    System.arraycopy(target, 0, icmp, 8, 16);
    MacAddress multicast =
        new MacAddress(new byte[] {0x33, 0x33, (byte) 0xff, target[13], target[14], target[15]});
    return Icmpv6.frame(IpContext.outgoing(unspecified, solicitedNode), multicast, ownMac, icmp);
  }

  /**
   * The MAC of another host probing for {@code address} in this frame (an ARP probe, or a DAD
   * solicitation from the unspecified address) when that MAC is higher than ours: of two hosts that
   * probe at once, the higher MAC goes on and the other gives up.
   */
  static Optional<MacAddress> winningRival(byte[] frame, InetAddress address, MacAddress ownMac) {
    if (frame == null || frame.length < 14) {
      return Optional.empty();
    }
    MacAddress source = EthernetFrame.source(frame);
    if (Arrays.compareUnsigned(source.bytes(), ownMac.bytes()) <= 0) {
      return Optional.empty();
    }
    int type = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
    if (type == EthernetFrame.ETHERTYPE_ARP
        && address instanceof Inet4Address
        && frame.length >= 14 + 28) {
      boolean unspecifiedSender =
          Arrays.equals(Arrays.copyOfRange(frame, 14 + 14, 14 + 18), new byte[4]);
      boolean forAddress =
          Arrays.equals(Arrays.copyOfRange(frame, 14 + 24, 14 + 28), address.getAddress());
      return unspecifiedSender && forAddress ? Optional.of(source) : Optional.empty();
    }
    if (type == EthernetFrame.ETHERTYPE_IPV6
        && address instanceof Inet6Address
        && frame.length >= 14 + 40 + 24
        && (frame[14 + 6] & 0xff) == Icmpv6.PROTOCOL
        && (frame[14 + 40] & 0xff) == NEIGHBOR_SOLICITATION) {
      boolean unspecifiedSource =
          Arrays.equals(Arrays.copyOfRange(frame, 14 + 8, 14 + 24), new byte[16]);
      boolean forAddress =
          Arrays.equals(Arrays.copyOfRange(frame, 14 + 40 + 8, 14 + 40 + 24), address.getAddress());
      return unspecifiedSource && forAddress ? Optional.of(source) : Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The MAC that answers for {@code address} in this frame, or empty when the frame says nothing of
   * it.
   */
  static Optional<MacAddress> answer(byte[] frame, InetAddress address, MacAddress ownMac) {
    if (frame == null || frame.length < 14) {
      return Optional.empty();
    }
    MacAddress source = EthernetFrame.source(frame);
    if (source.equals(ownMac)) {
      return Optional.empty();
    }
    int type = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
    if (type == EthernetFrame.ETHERTYPE_ARP
        && address instanceof Inet4Address
        && frame.length >= 14 + 28) {
      byte[] senderIp = Arrays.copyOfRange(frame, 14 + 14, 14 + 18);
      byte[] senderMac = Arrays.copyOfRange(frame, 14 + 8, 14 + 14);
      return Arrays.equals(senderIp, address.getAddress())
          ? Optional.of(new MacAddress(senderMac))
          : Optional.empty();
    }
    if (type == EthernetFrame.ETHERTYPE_IPV6
        && address instanceof Inet6Address
        && frame.length >= 14 + 40 + 24
        && (frame[14 + 6] & 0xff) == Icmpv6.PROTOCOL
        && (frame[14 + 40] & 0xff) == NEIGHBOR_ADVERTISEMENT) {
      byte[] target = Arrays.copyOfRange(frame, 14 + 40 + 8, 14 + 40 + 24);
      return Arrays.equals(target, address.getAddress()) ? Optional.of(source) : Optional.empty();
    }
    return Optional.empty();
  }
}
