package dev.vrrp.agent.net;

import dev.vrrp.packet.Advertisement;
import dev.vrrp.packet.AdvertisementCodec;
import dev.vrrp.packet.IpContext;
import dev.vrrp.packet.IpDatagram;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.V3Checksum;
import java.io.IOException;
import java.net.InetAddress;

/**
 * Sends to 224.0.0.18 / ff02::12 as a whole Ethernet frame through pcap, so the source MAC can be
 * the RFC virtual router MAC when asked for, and TTL/hop limit is 255 as RFC 5798 5.1.1.3 requires.
 */
public final class MulticastAdvertisementSender implements AdvertisementSender {
  private final PcapTransport transport;
  private final InetAddress source;
  private final MacAddress sourceMac;
  private final V3Checksum checksum;
  private int identification;

  public MulticastAdvertisementSender(
      PcapTransport transport, InetAddress source, MacAddress sourceMac, V3Checksum checksum) {
    this.transport = transport;
    this.source = source;
    this.sourceMac = sourceMac;
    this.checksum = checksum;
  }

  @Override
  public void send(Advertisement advertisement) throws IOException {
    IpFamily family = IpFamily.of(source);
    IpContext ip = IpContext.outgoing(source, family.vrrpMulticastGroup());
    byte[] payload = AdvertisementCodec.encode(advertisement, ip, checksum);
    byte[] packet =
        IpDatagram.build(ip, AdvertisementCodec.IP_PROTOCOL_VRRP, payload, ++identification);
    transport.send(
        EthernetFrame.wrap(
            MacAddress.vrrpMulticast(family),
            sourceMac,
            family == IpFamily.IPV4 ? EthernetFrame.ETHERTYPE_IPV4 : EthernetFrame.ETHERTYPE_IPV6,
            packet));
  }
}
