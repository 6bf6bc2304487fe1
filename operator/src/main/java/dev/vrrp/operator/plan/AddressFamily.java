package dev.vrrp.operator.plan;

import dev.vrrp.api.text.IpLiteral;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IPv4 or IPv6. VRRP runs one protocol instance per family (RFC 5798 section 5.2.3: the VRID space
 * of IPv4 and IPv6 is separate), so VRIDs are unique per family.
 */
enum AddressFamily {
  IPV4("IPv4"),
  IPV6("IPv6");

  private final String label;

  AddressFamily(String label) {
    this.label = label;
  }

  @Override
  public String toString() {
    return label;
  }

  /** The family of a VirtualIP's addresses (CEL guarantees one family); IPv4 when empty. */
  static AddressFamily of(List<String> addresses) {
    return addresses != null && addresses.stream().anyMatch(a -> a.contains(":")) ? IPV6 : IPV4;
  }

  /**
   * The address without its prefix, in canonical text form, so {@code 2001:db8::0:1/64} and {@code
   * 2001:DB8::1} compare equal ({@link IpLiteral}: literals only, never a name lookup). Unparseable
   * text is returned trimmed and lower-cased.
   */
  static String canonical(String address) {
    synchronized (CANONICAL) {
      String known = CANONICAL.get(address);
      if (known != null) {
        return known;
      }
    }
    String canonical = parse(address);
    synchronized (CANONICAL) {
      CANONICAL.put(address, canonical);
    }
    return canonical;
  }

  /**
   * Recently canonicalized texts: replanning 1000 VirtualIPs parses each address once, not every
   * time.
   */
  private static final Map<String, String> CANONICAL =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > 65_536;
        }
      };

  private static String parse(String address) {
    String ip = address.trim();
    int slash = ip.indexOf('/');
    if (slash >= 0) {
      ip = ip.substring(0, slash);
    }
    String text = ip;
    return IpLiteral.tryParse(ip)
        .map(IpLiteral::format)
        .orElseGet(() -> text.toLowerCase(Locale.ROOT));
  }
}
