package dev.vrrp.agent.keepalived;

import dev.vrrp.api.text.IpLiteral;
import java.util.List;

/**
 * {@code virtual_ipaddress} and {@code virtual_ipaddress_excluded} as the instance's addresses. The
 * agent puts every address of an instance on its interface and advertises them all, so an address
 * on another interface or of the other family stays behind, and an excluded one is advertised.
 */
final class VirtualAddresses {
  private VirtualAddresses() {}

  static void add(
      ImportedInstance instance,
      Word keyword,
      List<AddressLine> addresses,
      List<AddressLine> excluded,
      NoticeList notices) {
    if (keyword != null) {
      instance.origin("addresses", keyword);
    }
    for (AddressLine line : addresses) {
      address(instance, line, notices);
    }
    boolean v6 = instance.addresses.stream().anyMatch(IpLiteral::looksLikeIpv6);
    for (AddressLine line : excluded) {
      if (!instance.addresses.isEmpty() && IpLiteral.looksLikeIpv6(line.text()) != v6) {
        notices.error(
            line.address(),
            "not converted: an instance carries one address family; put it in a vrrp_instance of"
                + " its own (version 3 for IPv6)");
        continue;
      }
      if (address(instance, line, notices)) {
        notices.warning(
            line.address(),
            "converted as an ordinary address: it is now in the advertisements, so a keepalived"
                + " peer with the original file sees other addresses; convert every node");
      }
    }
  }

  /** Adds the line's address unless it lives on another interface; whether it was added. */
  private static boolean address(ImportedInstance instance, AddressLine line, NoticeList notices) {
    if (line.dev() != null) {
      if (instance.interfaceName == null) {
        instance.interfaceName = line.dev().text();
        instance.origin("interface", line.dev());
        notices.info(line.dev(), "no interface given: the instance uses " + line.dev().text());
      } else if (!line.dev().text().equals(instance.interfaceName)) {
        notices.error(
            line.address(),
            "not converted: it is on "
                + line.dev().text()
                + ", the agent puts an instance's addresses on its interface ("
                + instance.interfaceName
                + "); make a vrrp_instance of its own on "
                + line.dev().text());
        return false;
      }
    }
    if (line.label() != null) {
      notices.warning(
          line.label(),
          "not converted: the agent adds the address without the label "
              + (line.labelValue() == null ? "" : line.labelValue()));
    }
    for (Word option : line.ignored()) {
      notices.warning(option, "not converted: the agent adds the address with defaults");
    }
    if (!line.hasPrefix()) {
      boolean v6 = IpLiteral.looksLikeIpv6(line.text());
      notices.info(
          line.address(),
          "no prefix: keepalived adds it as "
              + (v6 ? "/128" : "/32")
              + ", the agent with the prefix of the interface subnet that contains it (else "
              + (v6 ? "/128" : "/32")
              + "); write the prefix to choose");
    }
    instance.origin("addresses[" + instance.addresses.size() + "]", line.address());
    instance.addresses.add(line.text());
    return true;
  }
}
