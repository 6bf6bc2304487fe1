package dev.vrrp.agent.net;

import dev.vrrp.packet.IpFamily;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What the agent needs to know about a local interface: its MAC and its own addresses. */
public record InterfaceInfo(String name, MacAddress mac, List<InterfaceAddress> addresses) {

  public static InterfaceInfo of(String name) throws IOException {
    NetworkInterface nif;
    try {
      nif = NetworkInterface.getByName(name);
    } catch (SocketException e) {
      throw new IOException("cannot read interface " + name + ": " + e.getMessage(), e);
    }
    if (nif == null) {
      throw new IOException("no interface named " + name);
    }
    byte[] hw = nif.getHardwareAddress();
    MacAddress mac =
        hw != null && hw.length == 6 ? new MacAddress(hw) : new MacAddress(new byte[6]);
    return new InterfaceInfo(name, mac, List.copyOf(nif.getInterfaceAddresses()));
  }

  /**
   * The source address for advertisements: the node's own address on the interface, never one the
   * agent added or a VIP of any instance ({@code excluded}). IPv6: its link-local address (RFC 5798
   * 5.1.2.1). IPv4: the first primary address in the kernel's order (the node's, configured before
   * any VIP), else the first one.
   */
  public static Optional<InetAddress> ownSource(
      List<HostAddress> host,
      String interfaceName,
      IpFamily family,
      Collection<InetAddress> excluded) {
    return host.stream()
        .filter(a -> a.interfaceName().equals(interfaceName) && !a.ours())
        .filter(a -> IpFamily.of(a.address()) == family)
        .filter(a -> family == IpFamily.IPV4 || ((Inet6Address) a.address()).isLinkLocalAddress())
        .filter(a -> !excluded.contains(Announcements.stripScope(a.address())))
        .min(Comparator.comparing(HostAddress::secondary))
        .map(a -> Announcements.stripScope(a.address()));
  }

  /**
   * The interface's IPv6 link-local address (the source of unsolicited Neighbor Advertisements).
   */
  public Optional<InetAddress> linkLocal() {
    return addresses.stream()
        .map(InterfaceAddress::getAddress)
        .filter(a -> a instanceof Inet6Address v6 && v6.isLinkLocalAddress())
        .map(Announcements::stripScope)
        .findFirst();
  }

  /** The prefix length of the interface subnet that contains {@code address}, if any. */
  public Optional<Integer> subnetPrefixFor(InetAddress address) {
    for (InterfaceAddress ia : addresses) {
      InetAddress local = ia.getAddress();
      if (IpFamily.of(local) != IpFamily.of(address)
          || Announcements.stripScope(local).equals(address)) {
        continue;
      }
      if (local instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
        continue;
      }
      if (sameSubnet(local.getAddress(), address.getAddress(), ia.getNetworkPrefixLength())) {
        return Optional.of((int) ia.getNetworkPrefixLength());
      }
    }
    return Optional.empty();
  }

  static boolean sameSubnet(byte[] a, byte[] b, int prefix) {
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
