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
    MacAddress mac = hw != null && hw.length == 6 ? new MacAddress(hw) : new MacAddress(new byte[6]);
    return new InterfaceInfo(name, mac, List.copyOf(nif.getInterfaceAddresses()));
  }

  /**
   * The source address for advertisements: the IPv6 link-local address (RFC 5798 5.1.2.1), or the
   * first IPv4 address that is not one of {@code excluded} (the virtual addresses).
   */
  public Optional<InetAddress> primaryAddress(IpFamily family, Collection<InetAddress> excluded) {
    return primaryAddress(family, excluded, List.of());
  }

  /**
   * As {@link #primaryAddress(IpFamily, Collection)}, preferring the address the kernel lists first
   * ({@code kernelOrder}, oldest first: the node's own address, configured before any VIP). Java lists
   * an interface's addresses newest first, which would make a VIP of another instance the source.
   */
  public Optional<InetAddress> primaryAddress(IpFamily family, Collection<InetAddress> excluded,
      List<InetAddress> kernelOrder) {
    return sourceCandidate(addresses.stream().map(InterfaceAddress::getAddress).toList(), family, excluded,
        kernelOrder);
  }

  static Optional<InetAddress> sourceCandidate(List<InetAddress> addresses, IpFamily family,
      Collection<InetAddress> excluded, List<InetAddress> kernelOrder) {
    return addresses.stream()
        .filter(a -> IpFamily.of(a) == family)
        .filter(a -> family == IpFamily.IPV4 || ((Inet6Address) a).isLinkLocalAddress())
        .map(Announcements::stripScope)
        .filter(a -> !excluded.contains(a))
        .min(Comparator.comparingInt(a -> {
          int index = kernelOrder.indexOf(a);
          return index < 0 ? Integer.MAX_VALUE : index;
        }));
  }

  /** The prefix length of the interface subnet that contains {@code address}, if any. */
  public Optional<Integer> subnetPrefixFor(InetAddress address) {
    for (InterfaceAddress ia : addresses) {
      InetAddress local = ia.getAddress();
      if (IpFamily.of(local) != IpFamily.of(address) || Announcements.stripScope(local).equals(address)) {
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
