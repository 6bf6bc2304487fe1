package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which gateway the probe asks, and what it says, with fake routing tables and a fake ICMP. The
 * interfaces the fake routes name are "lo" (exists on every host) or made up. GatewayProbeIT asks
 * real gateways in namespaces.
 */
class GatewayProbeTest {
  private static final Duration TIMEOUT = Duration.ofMillis(700);
  private static final String IPV4_HEADER =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU" + "\tWindow\tIRTT\n";

  @TempDir Path dir;
  private final List<String> asked = new ArrayList<>();
  private boolean answering = true;

  private final Reachability fakeIcmp =
      (InetAddress target, NetworkInterface via, int millis) -> {
        asked.add(
            target.getHostAddress()
                + (via == null ? "" : " via " + via.getName())
                + " "
                + millis
                + "ms");
        return answering;
      };

  @Test
  void noDefaultRouteFailsAndSaysWhereItLooked() throws Exception {
    GatewayProbe probe = probe(null, "lo", IPV4_HEADER, "");

    ProbeResult result = probe.probe();

    assertThat(result.ok()).isFalse();
    assertThat(result.detail())
        .startsWith("no default route to find the gateway in (")
        .contains("ipv6_route");
    assertThat(asked).isEmpty();
  }

  @Test
  void asksTheDefaultRoutesGatewayOutOfItsInterface() throws Exception {
    GatewayProbe probe = probe(null, "lo", IPV4_HEADER + ipv4Default("lo", "016433C6", 0), "");

    assertThat(probe.probe())
        .isEqualTo(ProbeResult.ok("gateway 198.51.100.1 via lo (default route) answers"));
    assertThat(asked).containsExactly("198.51.100.1 via lo 700ms");
  }

  @Test
  void aGatewayThatDoesNotAnswerFails() throws Exception {
    answering = false;
    GatewayProbe probe = probe(null, "lo", IPV4_HEADER + ipv4Default("lo", "016433C6", 0), "");

    assertThat(probe.probe())
        .isEqualTo(
            ProbeResult.failed(
                "gateway 198.51.100.1 via lo (default route) does not answer within 700ms"));
  }

  @Test
  void prefersTheDefaultRouteOutOfTheInstancesInterface() throws Exception {
    String table =
        IPV4_HEADER + ipv4Default("other0", "010200C0", 0) + ipv4Default("lo", "016433C6", 500);

    probe(null, "lo", table, "").probe();

    assertThat(asked).containsExactly("198.51.100.1 via lo 700ms");
  }

  @Test
  void otherwiseTakesTheLowestMetricIpv4BeforeIpv6() throws Exception {
    String ipv4 =
        IPV4_HEADER + ipv4Default("lo", "026433C6", 300) + ipv4Default("lo", "016433C6", 100);

    probe(null, "eth7", ipv4, DefaultRoutesTest.IPV6_TABLE.replace("eth0", "lo")).probe();

    assertThat(asked).containsExactly("198.51.100.1 via lo 700ms");
  }

  @Test
  void anIpv6LinkLocalGatewayIsAskedOnItsInterface() throws Exception {
    String ipv6 = DefaultRoutesTest.IPV6_TABLE.replace("eth0", "lo");
    List<InetAddress> targets = new ArrayList<>();
    Reachability recording = (target, via, millis) -> targets.add(target);

    new GatewayProbe(null, "lo", TIMEOUT, routes(IPV4_HEADER, ipv6), recording).probe();

    assertThat(targets).hasSize(1);
    Inet6Address target = (Inet6Address) targets.get(0);
    assertThat(target.getHostAddress()).startsWith("fe80:0:0:0:0:0:0:1%");
    assertThat(target.getScopeId()).isEqualTo(NetworkInterface.getByName("lo").getIndex());
  }

  @Test
  void aRouteOutOfAMissingInterfaceFails() throws Exception {
    GatewayProbe probe = probe(null, null, IPV4_HEADER + ipv4Default("gone0", "016433C6", 0), "");

    assertThat(probe.probe())
        .isEqualTo(ProbeResult.failed("gateway 198.51.100.1: no interface gone0"));
  }

  @Test
  void aConfiguredGatewayIsAskedWithoutLookingAtRoutes() throws Exception {
    GatewayProbe probe = new GatewayProbe("2001:db8::1", null, TIMEOUT, null, fakeIcmp);

    assertThat(probe.probe()).isEqualTo(ProbeResult.ok("gateway 2001:db8:0:0:0:0:0:1 answers"));
  }

  @Test
  void aConfiguredGatewayMustBeAnAddress() {
    assertThatThrownBy(() -> new GatewayProbe("router.example", null, TIMEOUT, null, fakeIcmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("router.example");
    assertThatThrownBy(() -> new GatewayProbe("198.51.100.300", null, TIMEOUT, null, fakeIcmp))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void realIcmpEchoToLoopbackAnswers() throws Exception {
    // Loopback only: the one address a unit test may ping. Without root the JDK falls back to TCP
    // port 7.
    GatewayProbe probe = new GatewayProbe("127.0.0.1", "lo", Duration.ofSeconds(2));

    assertThat(probe.probe()).isEqualTo(ProbeResult.ok("gateway 127.0.0.1 via lo answers"));
  }

  private GatewayProbe probe(String gateway, String interfaceName, String ipv4, String ipv6)
      throws IOException {
    return new GatewayProbe(gateway, interfaceName, TIMEOUT, routes(ipv4, ipv6), fakeIcmp);
  }

  private DefaultRoutes routes(String ipv4, String ipv6) throws IOException {
    return new DefaultRoutes(
        Files.writeString(dir.resolve("route"), ipv4),
        Files.writeString(dir.resolve("ipv6_route"), ipv6));
  }

  /** A default-route line of /proc/net/route, the gateway as a little-endian kernel writes it. */
  private static String ipv4Default(String iface, String gatewayHex, int metric) {
    return iface
        + "\t00000000\t"
        + gatewayHex
        + "\t0003\t0\t0\t"
        + metric
        + "\t00000000\t0\t0\t0\n";
  }
}
