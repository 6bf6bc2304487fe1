package dev.vrrp.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The address family an advertisement travels in; it decides address length and checksum rules. */
public enum IpFamily {
  IPV4(4),
  IPV6(16);

  private final int addressLength;

  IpFamily(int addressLength) {
    this.addressLength = addressLength;
  }

  public int addressLength() {
    return addressLength;
  }

  /** How people write it: IPv4, IPv6. */
  public String label() {
    return this == IPV4 ? "IPv4" : "IPv6";
  }

  public static IpFamily of(InetAddress address) {
    if (address instanceof Inet4Address) {
      return IPV4;
    }
    if (address instanceof Inet6Address) {
      return IPV6;
    }
    throw new IllegalArgumentException("not an IP address: " + address);
  }

  /** The RFC 5798 multicast group: 224.0.0.18 or ff02::12. */
  public InetAddress vrrpMulticastGroup() {
    return this == IPV4 ? VrrpGroups.IPV4 : VrrpGroups.IPV6;
  }

  private static final class VrrpGroups {
    static final InetAddress IPV4 = fromBytes(new byte[] {(byte) 224, 0, 0, 18});
    static final InetAddress IPV6 =
        fromBytes(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});

    private static InetAddress fromBytes(byte[] raw) {
      try {
        return InetAddress.getByAddress(raw);
      } catch (UnknownHostException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }
}
