package dev.vrrp.api.text;

import dev.vrrp.packet.IpFamily;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A virtual address as written in {@code spec.addresses} and the standalone config: an IP literal
 * with an optional prefix length ({@code 192.0.2.10}, {@code 192.0.2.10/24}, {@code
 * 2001:db8::10/64}). Without a prefix the agent uses the interface subnet's.
 *
 * @param prefixLength null when none was written
 */
public record VirtualAddress(InetAddress address, Integer prefixLength) {
  public VirtualAddress {
    int max = maxPrefix(IpFamily.of(address));
    if (prefixLength != null && (prefixLength < 0 || prefixLength > max)) {
      throw new IllegalArgumentException(
          "prefix length must be 0-" + max + ", got " + prefixLength);
    }
  }

  /** Why the text is not a virtual address, or empty when it is one. */
  public static Optional<String> problem(String text) {
    if (text == null) {
      return Optional.of("must be an IP address, got nothing");
    }
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    Optional<InetAddress> address = IpLiteral.tryParse(host);
    if (address.isEmpty()) {
      return Optional.of(
          "not an IP address: "
              + text
              + " (write e.g. 192.0.2.10, 192.0.2.10/24 or 2001:db8::10/64)");
    }
    if (slash >= 0) {
      String prefix = text.substring(slash + 1);
      int max = maxPrefix(IpFamily.of(address.get()));
      if (prefix.isEmpty()
          || prefix.length() > 3
          || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')
          || (prefix.length() > 1 && prefix.charAt(0) == '0')
          || Integer.parseInt(prefix) > max) {
        return Optional.of("prefix length must be 0-32 for IPv4 and 0-128 for IPv6: " + text);
      }
    }
    return Optional.empty();
  }

  /** The virtual address, or empty when the text is none. */
  public static Optional<VirtualAddress> tryParse(String text) {
    return problem(text).isPresent() ? Optional.empty() : Optional.of(parse(text));
  }

  /** The virtual address, or an {@link IllegalArgumentException} saying what is wrong. */
  public static VirtualAddress parse(String text) {
    problem(text)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    int slash = text.indexOf('/');
    InetAddress address = IpLiteral.parse(slash < 0 ? text : text.substring(0, slash));
    return new VirtualAddress(
        address, slash < 0 ? null : Integer.parseInt(text.substring(slash + 1)));
  }

  public IpFamily family() {
    return IpFamily.of(address);
  }

  /**
   * Unicast, as a VIP must be: not unspecified, loopback, multicast or the IPv4 broadcast address.
   */
  public boolean unicast() {
    byte[] raw = address.getAddress();
    boolean broadcast =
        raw.length == 4 && raw[0] == -1 && raw[1] == -1 && raw[2] == -1 && raw[3] == -1;
    return !address.isAnyLocalAddress()
        && !address.isLoopbackAddress()
        && !address.isMulticastAddress()
        && !broadcast;
  }

  public static int maxPrefix(IpFamily family) {
    return family == IpFamily.IPV4 ? 32 : 128;
  }

  @Override
  public String toString() {
    return IpLiteral.format(address) + (prefixLength == null ? "" : "/" + prefixLength);
  }
}
