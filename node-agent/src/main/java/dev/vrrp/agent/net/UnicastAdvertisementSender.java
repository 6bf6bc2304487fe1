package dev.vrrp.agent.net;

import com.sun.jna.Native;
import dev.vrrp.packet.Advertisement;
import dev.vrrp.packet.AdvertisementCodec;
import dev.vrrp.packet.IpContext;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.V3Checksum;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sends to a list of peers through a raw IP socket (JNA, protocol 112). Unicast needs the peers'
 * MAC addresses, routing and neighbour resolution, which the kernel does and pcap does not; so here
 * the kernel builds the IP header, with the TTL/hop limit set to 255.
 */
public final class UnicastAdvertisementSender implements AdvertisementSender, AutoCloseable {
  private static final int IPPROTO_IP = 0;
  private static final int IP_TTL = 2;
  private static final int IPPROTO_IPV6 = 41;
  private static final int IPV6_UNICAST_HOPS = 16;

  private final int fd;
  private final InetAddress source;
  private final List<InetAddress> peers;
  private final V3Checksum checksum;

  public UnicastAdvertisementSender(
      String interfaceName, InetAddress source, List<InetAddress> peers, V3Checksum checksum)
      throws IOException {
    this.source = source;
    this.peers = List.copyOf(peers);
    this.checksum = checksum;
    boolean v4 = IpFamily.of(source) == IpFamily.IPV4;
    int socket =
        Libc.INSTANCE.socket(
            v4 ? Libc.AF_INET : Libc.AF_INET6,
            Libc.SOCK_RAW | Libc.SOCK_CLOEXEC,
            AdvertisementCodec.IP_PROTOCOL_VRRP);
    if (socket < 0) {
      throw new IOException(
          "raw socket for VRRP unicast: errno " + Native.getLastError() + " (needs CAP_NET_RAW)");
    }
    this.fd = socket;
    check(
        Libc.INSTANCE.setsockopt(
            fd,
            v4 ? IPPROTO_IP : IPPROTO_IPV6,
            v4 ? IP_TTL : IPV6_UNICAST_HOPS,
            Libc.intValue(IpContext.REQUIRED_TTL),
            4),
        "set TTL 255");
    // We never read this socket (pcap receives); keep the kernel from queueing copies for it.
    Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, Libc.intValue(1), 4);
    byte[] device = (interfaceName + "\0").getBytes(StandardCharsets.US_ASCII);
    check(
        Libc.INSTANCE.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, device, device.length),
        "bind to " + interfaceName);
    byte[] local = sockaddr(source);
    check(Libc.INSTANCE.bind(fd, local, local.length), "bind to " + source.getHostAddress());
  }

  @Override
  public void send(Advertisement advertisement) throws IOException {
    IOException failure = null;
    for (InetAddress peer : peers) {
      byte[] payload =
          AdvertisementCodec.encode(advertisement, IpContext.outgoing(source, peer), checksum);
      byte[] to = sockaddr(peer);
      if (Libc.INSTANCE.sendto(fd, payload, payload.length, 0, to, to.length) < 0) {
        failure =
            new IOException("sendto " + peer.getHostAddress() + ": errno " + Native.getLastError());
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void check(int result, String what) throws IOException {
    if (result < 0) {
      int errno = Native.getLastError();
      Libc.INSTANCE.close(fd);
      throw new IOException(what + ": errno " + errno);
    }
  }

  /** struct sockaddr_in / sockaddr_in6 with port 0; the family is in host (little-endian) order. */
  static byte[] sockaddr(InetAddress address) {
    byte[] raw = address.getAddress();
    if (raw.length == 4) {
      byte[] sa = new byte[16];
      sa[0] = Libc.AF_INET;
      System.arraycopy(raw, 0, sa, 4, 4);
      return sa;
    }
    byte[] sa = new byte[28];
    sa[0] = Libc.AF_INET6;
    System.arraycopy(raw, 0, sa, 8, 16);
    int scope = address instanceof Inet6Address v6 ? v6.getScopeId() : 0;
    sa[24] = (byte) scope;
    sa[25] = (byte) (scope >>> 8);
    sa[26] = (byte) (scope >>> 16);
    sa[27] = (byte) (scope >>> 24);
    return sa;
  }

  @Override
  public void close() {
    Libc.INSTANCE.close(fd);
  }
}
