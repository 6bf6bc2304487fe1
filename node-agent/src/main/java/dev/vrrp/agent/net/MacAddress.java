package dev.vrrp.agent.net;

import dev.vrrp.packet.IpFamily;
import java.util.Arrays;
import java.util.HexFormat;

/** A 48-bit Ethernet address. */
public record MacAddress(byte[] bytes) {
  public static final MacAddress BROADCAST = parse("ff:ff:ff:ff:ff:ff");
  public static final MacAddress VRRP_IPV4_MULTICAST = parse("01:00:5e:00:00:12");
  public static final MacAddress VRRP_IPV6_MULTICAST = parse("33:33:00:00:00:12");
  public static final MacAddress ALL_NODES_IPV6_MULTICAST = parse("33:33:00:00:00:01");

  public MacAddress {
    if (bytes.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, got " + bytes.length);
    }
    bytes = bytes.clone();
  }

  public static MacAddress parse(String text) {
    return new MacAddress(HexFormat.ofDelimiter(":").parseHex(text));
  }

  /** RFC 5798 7.3: 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6. */
  public static MacAddress virtualRouter(IpFamily family, int vrid) {
    return new MacAddress(
        new byte[] {0, 0, 0x5e, 0, (byte) (family == IpFamily.IPV4 ? 1 : 2), (byte) vrid});
  }

  public static MacAddress vrrpMulticast(IpFamily family) {
    return family == IpFamily.IPV4 ? VRRP_IPV4_MULTICAST : VRRP_IPV6_MULTICAST;
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(bytes);
  }
}
