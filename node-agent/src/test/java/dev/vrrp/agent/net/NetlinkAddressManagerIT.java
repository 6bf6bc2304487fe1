package dev.vrrp.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vrrp.agent.lab.InNamespace;
import dev.vrrp.agent.net.AddressManager.InterfaceAddress;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent owns only what it adds, on a real kernel: marks, refusals, leftovers of a crashed
 * predecessor, and the node's own address as the source whatever VIPs it holds.
 */
@Tag("integration")
class NetlinkAddressManagerIT {
  private Segment lan;
  private String node;

  @BeforeEach
  void node() {
    lan = new Segment("na");
    node = lan.host("node", "192.0.2.11/24", "2001:db8::11/64");
    Netns.in(node, "ip", "route", "add", "default", "via", "192.0.2.1");
  }

  @AfterEach
  void cleanUp() {
    lan.close();
  }

  private static InterfaceAddress address(String text, int prefix) throws Exception {
    return new InterfaceAddress(InetAddress.getByName(text), prefix);
  }

  private String addresses() {
    return Netns.in(node, "ip", "-o", "address", "show", "dev", "eth0");
  }

  @Test
  void itRemovesOnlyWhatItAddedAndNeverTheNodesOwnAddress() throws Exception {
    String before = addresses();
    String routesBefore = Netns.in(node, "ip", "route");
    InNamespace.run(
        node,
        () -> {
          NetlinkAddressManager addresses = new NetlinkAddressManager();
          addresses.add("eth0", List.of(address("192.0.2.100", 24)));
          InetAddress vip = InetAddress.getByName("192.0.2.100");
          InetAddress own = InetAddress.getByName("192.0.2.11");
          assertThat(addresses.list())
              .filteredOn(a -> a.address().equals(vip))
              .singleElement()
              .satisfies(a -> assertThat(a.ours()).isTrue());
          assertThat(addresses.list())
              .filteredOn(a -> a.address().equals(own))
              .singleElement()
              .satisfies(a -> assertThat(a.ours()).isFalse());

          // a configuration that names the node's own address: removing it does nothing
          addresses.remove("eth0", List.of(address("192.0.2.11", 24), address("192.0.2.100", 24)));
        });
    assertThat(addresses()).isEqualTo(before);
    assertThat(Netns.in(node, "ip", "route")).isEqualTo(routesBefore);
  }

  @Test
  void itRefusesToAddAnAddressTheNodeHasAndChangesNothing() throws Exception {
    String before = addresses();
    InNamespace.run(
        node,
        () ->
            assertThatThrownBy(
                    () ->
                        new NetlinkAddressManager().add("eth0", List.of(address("192.0.2.11", 24))))
                .isInstanceOf(AddressInUseException.class)
                .hasMessage(
                    "192.0.2.11 is already on eth0 and was not added by the agent (an address of the node itself "
                        + "or of another program): not taking it"));
    assertThat(addresses()).isEqualTo(before);
  }

  @Test
  void aCrashedPredecessorsAddressesAreRecognizedByTheirMarkTheNodesAreNot() throws Exception {
    InNamespace.run(
        node, () -> new NetlinkAddressManager().add("eth0", List.of(address("192.0.2.100", 24))));
    Netns.in(node, "ip", "address", "add", "192.0.2.101/24", "dev", "eth0"); // someone else's

    InNamespace.run(
        node,
        () -> {
          NetlinkAddressManager successor =
              new NetlinkAddressManager(); // a new process: it remembers nothing
          assertThat(successor.list())
              .filteredOn(HostAddress::ours)
              .extracting(a -> a.address().getHostAddress())
              .containsExactly("192.0.2.100");
          successor.remove("eth0", List.of(address("192.0.2.100", 24), address("192.0.2.101", 24)));
        });
    assertThat(addresses()).doesNotContain("192.0.2.100/").contains("192.0.2.101/24");
  }

  @Test
  void theNodesOwnAddressStaysTheSourceWhateverVipsItHolds() throws Exception {
    Netns.in(node, "ip", "-6", "route", "add", "default", "via", "2001:db8::1");
    InNamespace.run(
        node, () -> new NetlinkAddressManager().add("eth0", List.of(address("2001:db8::100", 64))));
    InNamespace.run(
        node, () -> new NetlinkAddressManager().add("eth0", List.of(address("192.0.2.100", 24))));
    InNamespace.run(
        node, () -> new NetlinkAddressManager().add("eth0", List.of(address("198.51.100.10", 24))));

    assertThat(Netns.in(node, "ip", "-6", "address", "show", "dev", "eth0"))
        .contains("2001:db8::100/64")
        .containsPattern("2001:db8::100/64 scope global (nodad )?deprecated");
    // a destination next to the VIP, and the default route: the node's own address every time
    assertThat(Netns.in(node, "ip", "-6", "route", "get", "2001:db8::150"))
        .contains("src 2001:db8::11");
    assertThat(Netns.in(node, "ip", "route", "get", "192.0.2.150")).contains("src 192.0.2.11");
    assertThat(Netns.in(node, "ip", "route", "get", "198.51.100.77")).contains("src 192.0.2.11");
    assertThat(Netns.in(node, "ip", "route", "get", "203.0.113.1")).contains("src 192.0.2.11");
  }

  @Test
  void theRouteForAVipOutsideTheNodesSubnetsGoesWithItsLastVip() throws Exception {
    InNamespace.run(
        node,
        () -> {
          NetlinkAddressManager addresses = new NetlinkAddressManager();
          addresses.add(
              "eth0", List.of(address("198.51.100.10", 24), address("198.51.100.11", 24)));
          assertThat(Netns.in(node, "ip", "route", "show", "198.51.100.0/24"))
              .contains("src 192.0.2.11");
          addresses.remove("eth0", List.of(address("198.51.100.10", 24)));
          assertThat(Netns.in(node, "ip", "route", "show", "198.51.100.0/24"))
              .contains("src 192.0.2.11");
          addresses.remove("eth0", List.of(address("198.51.100.11", 24)));
        });
    assertThat(Netns.in(node, "ip", "route", "show", "198.51.100.0/24")).isBlank();
  }

  @Test
  void aLeasedAddressOutlivesItsLeaseOnlyWhileRenewedAndTheKernelThenRemovesIt() throws Exception {
    Duration lease = Duration.ofSeconds(2);
    InNamespace.run(
        node,
        () -> {
          NetlinkAddressManager addresses = new NetlinkAddressManager();
          addresses.add(
              "eth0", List.of(address("192.0.2.100", 24), address("2001:db8::100", 64)), lease);
          assertThat(addresses()).containsPattern("192\\.0\\.2\\.100/24 .*valid_lft [12]sec");
          for (int i = 0; i < 4; i++) { // 4 s: twice the lease, renewed every second
            Thread.sleep(1000);
            addresses.renew(
                "eth0", List.of(address("192.0.2.100", 24), address("2001:db8::100", 64)), lease);
          }
          assertThat(addresses()).contains(" 192.0.2.100/24 ", " 2001:db8::100/64 ");
          assertThat(addresses())
              .as("the node's own address keeps its infinite lifetime")
              .containsPattern("192\\.0\\.2\\.11/24 .*valid_lft forever");
        });
    // no renewal (the agent was killed): the kernel removes both within about a second of the lease
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> !addresses().contains("192.0.2.100/") && !addresses().contains("2001:db8::100/"));
    assertThat(addresses()).contains(" 192.0.2.11/24 ", " 2001:db8::11/64 ");
  }
}
