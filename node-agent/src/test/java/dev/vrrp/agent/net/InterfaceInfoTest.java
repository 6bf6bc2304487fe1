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

  @Test
  void theNodesOwnAddressIsTheSourceEvenWhenJavaListsAVipFirst() throws Exception {
    // Java: newest first (a VIP another instance added); the kernel: the node's address first
    List<InetAddress> java = List.of(ip("192.0.2.99"), ip("192.0.2.11"));
    List<InetAddress> kernel = List.of(ip("192.0.2.11"), ip("192.0.2.99"));
    assertThat(InterfaceInfo.sourceCandidate(java, IpFamily.IPV4, List.of(ip("192.0.2.100")), kernel))
        .contains(ip("192.0.2.11"));
  }

  @Test
  void addressesOfOtherInstancesAreNeverTheSource() throws Exception {
    List<InetAddress> java = List.of(ip("192.0.2.99"), ip("192.0.2.11"));
    assertThat(InterfaceInfo.sourceCandidate(java, IpFamily.IPV4, List.of(ip("192.0.2.99")), List.of()))
        .contains(ip("192.0.2.11"));
  }

  @Test
  void ipv6UsesTheLinkLocalAddress() throws Exception {
    List<InetAddress> java = List.of(ip("2001:db8::100"), ip("fe80::1"), ip("2001:db8::11"));
    assertThat(InterfaceInfo.sourceCandidate(java, IpFamily.IPV6, List.of(), List.of())).contains(ip("fe80::1"));
  }
}
