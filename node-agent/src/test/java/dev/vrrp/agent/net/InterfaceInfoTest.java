package dev.vrrp.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.packet.IpFamily;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceInfoTest {
  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  static HostAddress on(String iface, String address, boolean ours, boolean secondary)
      throws Exception {
    return new HostAddress(iface, ip(address), 24, ours, secondary);
  }

  @Test
  void theNodesOwnAddressIsTheSourceNeverOneTheAgentAdded() throws Exception {
    // a VIP another instance added comes first in the kernel's list (a lower-numbered subnet)
    List<HostAddress> host =
        List.of(on("eth0", "192.0.2.99", true, false), on("eth0", "192.0.2.11", false, false));
    assertThat(InterfaceInfo.ownSource(host, "eth0", IpFamily.IPV4, List.of(ip("192.0.2.100"))))
        .contains(ip("192.0.2.11"));
  }

  @Test
  void addressesOfOtherInstancesAreNeverTheSource() throws Exception {
    List<HostAddress> host =
        List.of(on("eth0", "192.0.2.99", false, false), on("eth0", "192.0.2.11", false, true));
    assertThat(InterfaceInfo.ownSource(host, "eth0", IpFamily.IPV4, List.of(ip("192.0.2.99"))))
        .contains(ip("192.0.2.11"));
  }

  @Test
  void aPrimaryAddressBeatsASecondaryAndOtherInterfacesDoNotCount() throws Exception {
    List<HostAddress> host =
        List.of(
            on("eth1", "198.51.100.5", false, false),
            on("eth0", "192.0.2.12", false, true),
            on("eth0", "192.0.2.11", false, false));
    assertThat(InterfaceInfo.ownSource(host, "eth0", IpFamily.IPV4, List.of()))
        .contains(ip("192.0.2.11"));
  }

  @Test
  void ipv6UsesTheLinkLocalAddress() throws Exception {
    List<HostAddress> host =
        List.of(
            on("eth0", "2001:db8::100", true, false),
            on("eth0", "fe80::1", false, false),
            on("eth0", "2001:db8::11", false, false));
    assertThat(InterfaceInfo.ownSource(host, "eth0", IpFamily.IPV6, List.of()))
        .contains(ip("fe80::1"));
  }
}
