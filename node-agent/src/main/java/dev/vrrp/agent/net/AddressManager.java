package dev.vrrp.agent.net;

import java.io.IOException;
import java.util.List;

/** Puts virtual addresses on an interface and takes them off; both idempotent. */
public interface AddressManager {

  /** An address with the prefix length it is installed with. */
  record InterfaceAddress(java.net.InetAddress address, int prefixLength) {
    @Override
    public String toString() {
      return address.getHostAddress() + "/" + prefixLength;
    }
  }

  void add(String interfaceName, List<InterfaceAddress> addresses) throws IOException;

  void remove(String interfaceName, List<InterfaceAddress> addresses) throws IOException;

  List<InterfaceAddress> list(String interfaceName) throws IOException;
}
