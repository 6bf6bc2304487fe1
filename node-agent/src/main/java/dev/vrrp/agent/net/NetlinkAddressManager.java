package dev.vrrp.agent.net;

import dev.vrrp.api.text.IpLiteral;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses with rtnetlink (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR), as keepalived does: a
 * failover waits on these calls, and a netlink round trip takes microseconds where starting `ip`
 * from a JVM takes milliseconds.
 *
 * <ul>
 *   <li>Every address it adds is marked ({@link #AGENT_PROTOCOL} as IFA_PROTO) and remembered; it
 *       deletes only what is marked or remembered, so a VirtualIP naming a node's own address can
 *       never take it away (that removed a node's primary address and its subnet route once).
 *   <li>It refuses to add an address that is on any interface unmarked ({@link
 *       AddressInUseException}).
 *   <li>A VIP must never become the node's source address: IPv6 VIPs are added deprecated
 *       (preferred lifetime 0, RFC 6724 rule 3); an IPv4 VIP is secondary when the interface has an
 *       address of its own in the subnet, and otherwise goes without a prefix route of its own
 *       (whose source would be the VIP): the agent adds that route with the node's own address as
 *       the source.
 * </ul>
 */
public final class NetlinkAddressManager implements AddressManager {
  private static final Logger LOG = LoggerFactory.getLogger(NetlinkAddressManager.class);
  private static final int ENOENT = 2;
  private static final int ESRCH = 3;
  private static final int EADDRNOTAVAIL = 99;

  private record Key(int index, InetAddress address) {}

  // how an address was added, so that a renewal repeats it exactly
  private record Added(int prefixLength, boolean noPrefixRoute) {}

  private record Subnet(int index, InetAddress network, int prefixLength) {}

  private final AtomicInteger sequence = new AtomicInteger();
  // what this process added: ours even on a kernel that does not keep the mark (before Linux 5.18)
  private final Map<Key, Added> addedHere = new HashMap<>();
  // subnet routes this process added for IPv4 VIPs outside the interface's subnets, and their VIPs
  private final Map<Subnet, List<InetAddress>> subnetRoutes = new HashMap<>();
  private volatile Boolean kernelKeepsMarks;

  @Override
  public synchronized void add(
      String interfaceName, List<InterfaceAddress> addresses, Duration lease) throws IOException {
    int index = index(interfaceName);
    List<NetlinkMessages.Dumped> present = Netlink.dumpAddresses(sequence.incrementAndGet());
    for (InterfaceAddress address : addresses) {
      for (NetlinkMessages.Dumped d : present) {
        if (d.address().equals(address.address()) && !ours(d)) {
          throw new AddressInUseException(address.address(), name(d.interfaceIndex()));
        }
      }
      InetAddress ownSource =
          address.address() instanceof Inet6Address ? null : ownSourceFor(present, index, address);
      Added added = new Added(address.prefixLength(), ownSource != null);
      put("add", interfaceName, index, address, added, lease);
      addedHere.put(new Key(index, address.address()), added);
      if (ownSource != null) {
        addSubnetRoute(index, address, ownSource);
      }
    }
    if (kernelKeepsMarks == null && !addresses.isEmpty()) {
      checkMarks(index, addresses.get(0).address());
    }
  }

  /**
   * The node's own IPv4 address to use as the source of the VIP's subnet, or null when the VIP
   * needs no route of its own: it has a prefix of /32, or the interface has an own address in that
   * subnet (then the VIP is a secondary address and never a source), or no own IPv4 address at all.
   */
  private static InetAddress ownSourceFor(
      List<NetlinkMessages.Dumped> present, int index, InterfaceAddress vip) {
    if (vip.prefixLength() >= 32) {
      return null;
    }
    InetAddress first = null;
    for (NetlinkMessages.Dumped d : present) {
      if (d.interfaceIndex() != index
          || d.address().getAddress().length != 4
          || d.protocol() == AGENT_PROTOCOL) {
        continue;
      }
      if (InterfaceInfo.sameSubnet(
          d.address().getAddress(), vip.address().getAddress(), vip.prefixLength())) {
        return null;
      }
      if (first == null && (d.flags() & NetlinkMessages.IFA_F_SECONDARY) == 0) {
        first = d.address();
      }
    }
    return first;
  }

  private void addSubnetRoute(int index, InterfaceAddress vip, InetAddress source)
      throws IOException {
    Subnet subnet = new Subnet(index, network(vip), vip.prefixLength());
    List<InetAddress> users = subnetRoutes.computeIfAbsent(subnet, s -> new ArrayList<>());
    if (!users.contains(vip.address())) {
      users.add(vip.address());
    }
    int error =
        Netlink.request(
            NetlinkMessages.subnetRoute(
                true,
                sequence.incrementAndGet(),
                index,
                subnet.network(),
                subnet.prefixLength(),
                source,
                AGENT_PROTOCOL));
    if (error != 0) {
      throw new IOException(
          "route "
              + IpLiteral.format(subnet.network())
              + "/"
              + subnet.prefixLength()
              + " src "
              + source.getHostAddress()
              + ": errno "
              + error);
    }
  }

  private void releaseSubnetRoute(int index, InetAddress vip) throws IOException {
    for (var it = subnetRoutes.entrySet().iterator(); it.hasNext(); ) {
      var route = it.next();
      if (route.getKey().index() != index
          || !route.getValue().remove(vip)
          || !route.getValue().isEmpty()) {
        continue;
      }
      it.remove();
      int error =
          Netlink.request(
              NetlinkMessages.subnetRoute(
                  false,
                  sequence.incrementAndGet(),
                  index,
                  route.getKey().network(),
                  route.getKey().prefixLength(),
                  null,
                  AGENT_PROTOCOL));
      if (error != 0 && error != ESRCH && error != ENOENT) {
        LOG.warn(
            "removing the route of {}/{}: errno {}",
            IpLiteral.format(route.getKey().network()),
            route.getKey().prefixLength(),
            error);
      }
    }
  }

  @Override
  public synchronized void remove(String interfaceName, List<InterfaceAddress> addresses)
      throws IOException {
    int index = index(interfaceName);
    List<NetlinkMessages.Dumped> present = null;
    for (InterfaceAddress address : addresses) {
      Key key = new Key(index, address.address());
      Added added = addedHere.get(key);
      Integer prefix = added == null ? null : added.prefixLength();
      if (prefix == null) {
        // not added by this process: only a marked one (a predecessor's) goes, with its own prefix
        if (present == null) {
          present = Netlink.dumpAddresses(sequence.incrementAndGet());
        }
        prefix =
            present.stream()
                .filter(
                    d ->
                        d.interfaceIndex() == index
                            && d.address().equals(address.address())
                            && d.protocol() == AGENT_PROTOCOL)
                .map(NetlinkMessages.Dumped::prefixLength)
                .findFirst()
                .orElse(null);
        if (prefix == null) {
          continue;
        }
      }
      int error =
          Netlink.request(
              NetlinkMessages.deleteAddress(
                  sequence.incrementAndGet(), index, address.address(), prefix));
      if (error != 0 && error != EADDRNOTAVAIL && error != ENOENT) {
        throw new IOException("remove " + address + " from " + interfaceName + ": errno " + error);
      }
      addedHere.remove(key);
      releaseSubnetRoute(index, address.address());
    }
  }

  @Override
  public synchronized void renew(
      String interfaceName, List<InterfaceAddress> addresses, Duration lease) throws IOException {
    int index = index(interfaceName);
    for (InterfaceAddress address : addresses) {
      Added added = addedHere.get(new Key(index, address.address()));
      if (added != null) {
        put("renew", interfaceName, index, address, added, lease);
      }
    }
  }

  // one RTM_NEWADDR (create or replace), marked, IPv6 deprecated, with the lease as its lifetime
  private void put(
      String what,
      String interfaceName,
      int index,
      InterfaceAddress address,
      Added how,
      Duration lease)
      throws IOException {
    int error =
        Netlink.request(
            NetlinkMessages.addAddress(
                sequence.incrementAndGet(),
                index,
                address.address(),
                how.prefixLength(),
                AGENT_PROTOCOL,
                address.address() instanceof Inet6Address,
                how.noPrefixRoute(),
                lease.toSeconds()));
    if (error != 0) {
      throw new IOException(what + " " + address + " on " + interfaceName + ": errno " + error);
    }
  }

  @Override
  public List<HostAddress> list() throws IOException {
    List<HostAddress> out = new ArrayList<>();
    List<NetlinkMessages.Dumped> dumped = Netlink.dumpAddresses(sequence.incrementAndGet());
    synchronized (this) {
      for (NetlinkMessages.Dumped d : dumped) {
        out.add(
            new HostAddress(
                name(d.interfaceIndex()),
                d.address(),
                d.prefixLength(),
                ours(d),
                (d.flags() & NetlinkMessages.IFA_F_SECONDARY) != 0));
      }
    }
    return out;
  }

  private boolean ours(NetlinkMessages.Dumped d) {
    return d.protocol() == AGENT_PROTOCOL
        || addedHere.containsKey(new Key(d.interfaceIndex(), d.address()));
  }

  /** Whether the kernel kept the mark on an address just added (IFA_PROTO needs Linux 5.18). */
  private void checkMarks(int index, InetAddress added) throws IOException {
    boolean kept =
        Netlink.dumpAddresses(sequence.incrementAndGet()).stream()
            .anyMatch(
                d ->
                    d.interfaceIndex() == index
                        && d.address().equals(added)
                        && d.protocol() == AGENT_PROTOCOL);
    kernelKeepsMarks = kept;
    if (!kept) {
      LOG.warn(
          "this kernel does not keep address marks (IFA_PROTO, Linux 5.18 and later): addresses a crashed "
              + "agent left behind cannot be told from the node's own, so they are not removed");
    }
  }

  /**
   * False on a kernel that drops the mark (then a predecessor's leftovers cannot be recognized).
   */
  public boolean kernelKeepsMarks() {
    return !Boolean.FALSE.equals(kernelKeepsMarks);
  }

  private static InetAddress network(InterfaceAddress vip) {
    byte[] raw = vip.address().getAddress();
    for (int bit = vip.prefixLength(); bit < raw.length * 8; bit++) {
      raw[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static int index(String interfaceName) throws IOException {
    NetworkInterface nif = NetworkInterface.getByName(interfaceName);
    if (nif == null) {
      throw new IOException("no interface named " + interfaceName);
    }
    return nif.getIndex();
  }

  private static String name(int index) {
    try {
      NetworkInterface nif = NetworkInterface.getByIndex(index);
      return nif == null ? "#" + index : nif.getName();
    } catch (SocketException e) {
      return "#" + index;
    }
  }
}
