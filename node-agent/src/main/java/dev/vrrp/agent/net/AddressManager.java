package dev.vrrp.agent.net;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Puts virtual addresses on an interface and takes them off. The agent owns only what it adds:
 * every address it adds carries its mark (IFA_PROTO {@link #AGENT_PROTOCOL}, kept by the kernel
 * until the address is deleted, so it survives a crash of the agent and not a reboot), and it
 * removes only marked addresses, whatever a configuration says. A node's own address is never
 * touched.
 */
public interface AddressManager {
  /**
   * The agent's mark on its addresses and routes (VRRP's IP protocol number; keepalived uses 18).
   */
  int AGENT_PROTOCOL = 112;

  /** An address with the prefix length it is installed with. */
  record InterfaceAddress(InetAddress address, int prefixLength) {
    @Override
    public String toString() {
      return address.getHostAddress() + "/" + prefixLength;
    }
  }

  /** A lease the kernel never ends: the address stays until it is removed. */
  Duration FOREVER = Duration.ofSeconds(NetlinkMessages.FOREVER);

  /**
   * Adds the addresses (idempotent for the agent's own); none may be on the node unmarked. The
   * kernel deletes them by itself when {@code lease} (whole seconds) passes without a {@link
   * #renew}: the copy of an agent killed with SIGKILL does not outlive it by more.
   */
  void add(String interfaceName, List<InterfaceAddress> addresses, Duration lease)
      throws IOException;

  /** Adds the addresses for ever (until removed). */
  default void add(String interfaceName, List<InterfaceAddress> addresses) throws IOException {
    add(interfaceName, addresses, FOREVER);
  }

  /**
   * Starts a new lease for those of the addresses this agent added and still has; others are left
   * alone (a missing one is not added back: that is {@link #add}, with its checks).
   */
  void renew(String interfaceName, List<InterfaceAddress> addresses, Duration lease)
      throws IOException;

  /** Removes those of the addresses that are the agent's; the others stay, whatever they are. */
  void remove(String interfaceName, List<InterfaceAddress> addresses) throws IOException;

  /** Every address of every interface, in the kernel's order. */
  List<HostAddress> list() throws IOException;

  /** Of {@code wanted}, those that are on some interface of the node and not the agent's. */
  default List<HostAddress> foreign(List<InetAddress> wanted) throws IOException {
    return list().stream().filter(a -> !a.ours() && wanted.contains(a.address())).toList();
  }
}
