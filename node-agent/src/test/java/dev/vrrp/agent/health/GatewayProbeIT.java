package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.lab.VethPair;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gateway probe, run in a child JVM inside the "node" namespace, against a "router" namespace
 * that holds (or loses) the gateway address. Documentation prefixes only: 198.51.100.0/24 and
 * 2001:db8::/32.
 */
@Tag("integration")
class GatewayProbeIT {
  private static final String GATEWAY = "198.51.100.1";
  private static final String NODE = "198.51.100.2";
  private static final String GATEWAY6 = "2001:db8:64::1";
  private static final String NODE6 = "2001:db8:64::2";
  private static final String ROUTER_LINK_LOCAL = "fe80::1";
  private static final int TIMEOUT_MS = 1000;
  // Links take up to a second to report up (linkwatch); neighbours need resolving once.
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private VethPair link;
  private ProbesInNamespace probes;

  @BeforeEach
  void createLink() throws Exception {
    link = VethPair.create("hc");
    link.inNode("addr", "add", NODE + "/24", "dev", link.nodeInterface);
    link.inRouter("addr", "add", GATEWAY + "/24", "dev", link.routerInterface);
    probes = ProbesInNamespace.start(link.node);
  }

  @AfterEach
  void removeLink() throws Exception {
    try {
      if (probes != null) {
        probes.close();
      }
    } finally {
      if (link != null) {
        link.close();
      }
    }
  }

  @Test
  void aConfiguredGatewayAnswersUntilItsAddressIsRemoved() throws Exception {
    awaitGateway(
        GATEWAY, ProbeResult.ok("gateway " + GATEWAY + " via " + link.nodeInterface + " answers"));

    link.inRouter("addr", "del", GATEWAY + "/24", "dev", link.routerInterface);

    assertThat(probes.gateway(GATEWAY, link.nodeInterface, TIMEOUT_MS))
        .isEqualTo(
            ProbeResult.failed(
                "gateway "
                    + GATEWAY
                    + " via "
                    + link.nodeInterface
                    + " does not answer within "
                    + TIMEOUT_MS
                    + "ms"));
  }

  @Test
  void aConfiguredGatewayIsUnreachableWhileTheLinkIsDown() throws Exception {
    awaitGateway(
        GATEWAY, ProbeResult.ok("gateway " + GATEWAY + " via " + link.nodeInterface + " answers"));

    link.inRouter("link", "set", link.routerInterface, "down");

    ProbeResult result = probes.gateway(GATEWAY, link.nodeInterface, TIMEOUT_MS);
    assertThat(result.ok()).as(result.detail()).isFalse();
    assertThat(result.detail()).startsWith("gateway " + GATEWAY + " via " + link.nodeInterface);
  }

  @Test
  void followsTheDefaultRouteInTheNamespace() throws Exception {
    ProbeResult noRoute = probes.gateway(null, link.nodeInterface, TIMEOUT_MS);
    assertThat(noRoute.ok()).isFalse();
    assertThat(noRoute.detail()).startsWith("no default route");

    link.inNode("route", "add", "default", "via", GATEWAY);
    awaitGateway(
        null,
        ProbeResult.ok(
            "gateway " + GATEWAY + " via " + link.nodeInterface + " (default route) answers"));

    link.inRouter("addr", "del", GATEWAY + "/24", "dev", link.routerInterface);
    assertThat(probes.gateway(null, link.nodeInterface, TIMEOUT_MS).ok()).isFalse();
  }

  @Test
  void findsTheDefaultRouteWithoutBeingToldTheInterface() throws Exception {
    link.inNode("route", "add", "default", "via", GATEWAY);

    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(probes.gateway(null, null, TIMEOUT_MS))
                    .isEqualTo(
                        ProbeResult.ok(
                            "gateway "
                                + GATEWAY
                                + " via "
                                + link.nodeInterface
                                + " (default route) answers")));
  }

  @Test
  void aConfiguredIpv6GatewayAnswersUntilItsAddressIsRemoved() throws Exception {
    link.inNode("-6", "addr", "add", NODE6 + "/64", "dev", link.nodeInterface, "nodad");
    link.inRouter("-6", "addr", "add", GATEWAY6 + "/64", "dev", link.routerInterface, "nodad");
    String expanded = "2001:db8:64:0:0:0:0:1";

    awaitGateway(
        GATEWAY6,
        ProbeResult.ok("gateway " + expanded + " via " + link.nodeInterface + " answers"));

    link.inRouter("-6", "addr", "del", GATEWAY6 + "/64", "dev", link.routerInterface);
    assertThat(probes.gateway(GATEWAY6, link.nodeInterface, TIMEOUT_MS).ok()).isFalse();
  }

  @Test
  void followsAnIpv6DefaultRouteToALinkLocalGateway() throws Exception {
    // As router advertisements set it up: the default route points at the router's link-local
    // address.
    link.inRouter(
        "-6", "addr", "add", ROUTER_LINK_LOCAL + "/64", "dev", link.routerInterface, "nodad");
    link.inNode(
        "-6", "route", "add", "default", "via", ROUTER_LINK_LOCAL, "dev", link.nodeInterface);

    ProbeResult expected =
        ProbeResult.ok(
            "gateway fe80:0:0:0:0:0:0:1 via " + link.nodeInterface + " (default route) answers");
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> assertThat(probes.gateway(null, null, TIMEOUT_MS)).isEqualTo(expected));

    link.inRouter("-6", "addr", "del", ROUTER_LINK_LOCAL + "/64", "dev", link.routerInterface);
    assertThat(probes.gateway(null, null, TIMEOUT_MS).ok()).isFalse();
  }

  /** The first answer may need the link to settle and the neighbour to be resolved. */
  private void awaitGateway(String gateway, ProbeResult expected) {
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(probes.gateway(gateway, link.nodeInterface, TIMEOUT_MS))
                    .isEqualTo(expected));
  }
}
