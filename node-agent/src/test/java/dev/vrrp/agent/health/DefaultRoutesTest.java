package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultRoutesTest {
  // As a little-endian kernel writes it: default via 192.0.2.1 on eth0 (metric 0) and via
  // 198.51.100.1 on eth1
  // (metric 100), a subnet route, and an "unreachable default" (RTF_REJECT) that must not count.
  static final String IPV4_TABLE =
      """
      Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
      eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
      eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
      eth1\t00000000\t016433C6\t0003\t0\t0\t100\t00000000\t0\t0\t0
      lo\t00000000\t00000000\t0201\t0\t0\t200\t00000000\t0\t0\t0
      """;

  // A link-local default route as router advertisements install it, a prefix route, and the
  // kernel's
  // unreachable default on lo (flags RTF_REJECT | RTF_NONEXTHOP, no gateway).
  static final String IPV6_TABLE =
      """
      20010db8000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 \
      00000100 00000001 00000000 00000001     eth0
      00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 \
      00000400 00000001 00000000 00450003     eth0
      00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 \
      ffffffff 00000001 00000000 00200200       lo
      """;

  @TempDir Path dir;

  @Test
  void findsIpv4DefaultRoutesWithGatewayInterfaceAndMetric() throws Exception {
    assertThat(DefaultRoutes.parseIpv4(IPV4_TABLE, ByteOrder.LITTLE_ENDIAN))
        .containsExactly(
            new DefaultRoute(InetAddress.getByName("192.0.2.1"), "eth0", 0),
            new DefaultRoute(InetAddress.getByName("198.51.100.1"), "eth1", 100));
  }

  @Test
  void readsIpv4GatewaysInTheKernelsByteOrder() throws Exception {
    String bigEndian =
        """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        eth0\t00000000\tC0000201\t0003\t0\t0\t0\t00000000\t0\t0\t0
        """;

    assertThat(DefaultRoutes.parseIpv4(bigEndian, ByteOrder.BIG_ENDIAN))
        .containsExactly(new DefaultRoute(InetAddress.getByName("192.0.2.1"), "eth0", 0));
  }

  @Test
  void findsIpv6DefaultRoutesAndSkipsTheUnreachableOne() throws Exception {
    assertThat(DefaultRoutes.parseIpv6(IPV6_TABLE))
        .containsExactly(new DefaultRoute(InetAddress.getByName("fe80::1"), "eth0", 1024));
  }

  @Test
  void readsBothTablesIpv4First() throws Exception {
    DefaultRoutes routes =
        new DefaultRoutes(write("route", IPV4_TABLE), write("ipv6_route", IPV6_TABLE));

    assertThat(routes.read())
        .extracting(DefaultRoute::interfaceName)
        .containsExactly("eth0", "eth1", "eth0");
  }

  @Test
  void aMissingTableHasNoRoutes() throws Exception {
    // IPv6 disabled on the kernel command line: there is no /proc/net/ipv6_route at all.
    DefaultRoutes routes = new DefaultRoutes(write("route", IPV4_TABLE), dir.resolve("absent"));

    assertThat(routes.read()).hasSize(2);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
