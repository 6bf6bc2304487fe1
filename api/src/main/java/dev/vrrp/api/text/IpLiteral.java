package dev.vrrp.api.text;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IP address literals, and nothing else: never a host name, so parsing never waits for DNS. The
 * rules are those of the API server's CEL {@code isIP()} (Go's {@code netip.ParseAddr} without
 * zones): dotted-quad IPv4 without leading zeros, IPv6 in any RFC 4291 text form, no IPv4-mapped
 * IPv6 (it would be a different family on the wire than in the text).
 */
public final class IpLiteral {
  private IpLiteral() {}

  /** The address, or empty when the text is not a literal. */
  public static Optional<InetAddress> tryParse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return Optional.empty();
    }
    if (text.indexOf(':') < 0) {
      return ipv4(text);
    }
    if (!text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      return Optional.empty(); // also refuses zones (%eth0) and brackets
    }
    try {
      InetAddress address = InetAddress.getByName(text); // a literal with a colon: never resolved
      return address instanceof Inet6Address ? Optional.of(address) : Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The address, or an {@link IllegalArgumentException} that quotes the text. */
  public static InetAddress parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException(problem(text)));
  }

  public static String problem(String text) {
    return "must be an IP address like 192.0.2.10 or 2001:db8::10, got '" + text + "'";
  }

  /** Whether the text is an IPv6 literal's (without parsing it). */
  public static boolean looksLikeIpv6(String text) {
    return text != null && text.indexOf(':') >= 0;
  }

  /** Canonical text: {@code 2001:db8::1}, never {@code 2001:db8:0:0:0:0:0:1} or a scope. */
  public static String format(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      return compress(v6.getAddress());
    }
    return address.getHostAddress();
  }

  private static Optional<InetAddress> ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] raw = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')
          || (part.length() > 1 && part.charAt(0) == '0')) {
        return Optional.empty();
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return Optional.empty();
      }
      raw[i] = (byte) octet;
    }
    try {
      return Optional.of((Inet4Address) InetAddress.getByAddress(raw));
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** RFC 5952 text: lower case, the longest run of two or more zero groups as "::". */
  private static String compress(byte[] raw) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
