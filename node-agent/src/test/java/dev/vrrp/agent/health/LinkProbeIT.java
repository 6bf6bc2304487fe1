package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.lab.VethPair;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The link probe against the kernel's own sysfs files, for a veth pair in two fresh namespaces. */
@Tag("integration")
class LinkProbeIT {
  // The kernel applies operstate changes through linkwatch, which may hold them back up to a
  // second.
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private VethPair link;
  private ProbesInNamespace probes;

  @BeforeEach
  void createLink() throws Exception {
    link = VethPair.create("hc");
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
  void seesTheLinkGoDownInsideTheNamespaceAndComeBack() {
    String name = link.nodeInterface;
    awaitLink(ProbeResult.ok(name + ": link up, carrier"));

    link.inNode("link", "set", name, "down");
    awaitLink(ProbeResult.failed(name + ": link down"));

    link.inNode("link", "set", name, "up");
    awaitLink(ProbeResult.ok(name + ": link up, carrier"));
  }

  @Test
  void losesTheLinkWhenThePeerGoesDown() {
    String name = link.nodeInterface;
    awaitLink(ProbeResult.ok(name + ": link up, carrier"));

    link.inRouter("link", "set", link.routerInterface, "down");

    // Still administratively up on this side, but a veth whose peer is down has no carrier:
    // operstate "down".
    awaitLink(ProbeResult.failed(name + ": link down"));
  }

  @Test
  void aDeletedInterfaceFails() {
    String name = link.nodeInterface;
    awaitLink(ProbeResult.ok(name + ": link up, carrier"));

    link.inNode("link", "del", name);

    awaitLink(ProbeResult.failed(name + ": no such interface"));
  }

  private void awaitLink(ProbeResult expected) {
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(probes.link(link.nodeInterface)).isEqualTo(expected));
  }
}
