package dev.vrrp.packet;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The IP-level facts RFC 5798 7.1 asks a receiver to check, and the addresses the IPv4/IPv6
 * pseudo-header covers.
 *
 * @param ttl the IPv4 TTL or IPv6 hop limit the packet arrived with
 */
public record IpContext(InetAddress source, InetAddress destination, int ttl) {
  public static final int REQUIRED_TTL = 255;

  public IpContext {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    if (IpFamily.of(source) != IpFamily.of(destination)) {
      throw new IllegalArgumentException("source and destination families differ");
    }
  }

  /** The context of a packet we send: hop limit 255 as RFC 5798 5.1.1.3 requires. */
  public static IpContext outgoing(InetAddress source, InetAddress destination) {
    return new IpContext(source, destination, REQUIRED_TTL);
  }

  public IpFamily family() {
    return IpFamily.of(source);
  }
}
