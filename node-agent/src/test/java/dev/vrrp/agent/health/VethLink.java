package dev.vrrp.agent.health;

import java.util.List;

/**
 * Two fresh namespaces joined by a veth pair: "node", where the probes run, and "router", which
 * plays the gateway. Both ends are created inside their namespaces; the host's own network is never
 * touched.
 */
final class VethLink implements AutoCloseable {
  final Netns node;
  final Netns router;
  final String nodeInterface;
  final String routerInterface;

  private VethLink(Netns node, Netns router, String nodeInterface, String routerInterface) {
    this.node = node;
    this.router = router;
    this.nodeInterface = nodeInterface;
    this.routerInterface = routerInterface;
  }

  static VethLink create(String ip) {
    String base = Netns.uniqueBase();
    Netns node = Netns.create(ip, base + "n");
    Netns router;
    try {
      router = Netns.create(ip, base + "r");
    } catch (RuntimeException | AssertionError e) {
      node.close();
      throw e;
    }
    VethLink link = new VethLink(node, router, base + "n", base + "r");
    try {
      for (Netns ns : List.of(node, router)) {
        // No duplicate address detection: addresses, link-local ones too, are usable at once
        // instead of ~1s later.
        ns.exec(
            "sysctl",
            "-q",
            "-w",
            "net.ipv6.conf.all.accept_dad=0",
            "net.ipv6.conf.default.accept_dad=0");
      }
      Commands.run(
          List.of(
              ip,
              "link",
              "add",
              link.nodeInterface,
              "netns",
              node.name(),
              "type",
              "veth",
              "peer",
              "name",
              link.routerInterface,
              "netns",
              router.name()));
      node.ip("link", "set", link.nodeInterface, "up");
      router.ip("link", "set", link.routerInterface, "up");
    } catch (RuntimeException | AssertionError e) {
      link.close();
      throw e;
    }
    return link;
  }

  @Override
  public void close() {
    node.close();
    router.close();
  }
}
