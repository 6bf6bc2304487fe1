package dev.vrrp.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two fresh network namespaces joined directly by a veth pair, no bridge: "node" and "router". A
 * link test needs this: a veth whose peer goes down loses its carrier, a bridge port would not.
 * Names carry this JVM's pid and a counter, so two runs never collide; {@link #close()} removes
 * both.
 */
public final class VethPair implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** The namespaces' names. */
  public final String node;

  public final String router;

  /** The veth ends, one in each namespace. */
  public final String nodeInterface;

  public final String routerInterface;

  private VethPair(String base) {
    this.node = base + "n";
    this.router = base + "r";
    this.nodeInterface = base + "n";
    this.routerInterface = base + "r";
  }

  /** {@code tag}: two letters naming the test, e.g. "hc"; the names stay within 15 characters. */
  public static VethPair create(String tag) {
    Netns.requireRoot();
    VethPair pair =
        new VethPair(tag + ProcessHandle.current().pid() % 100000 + COUNTER.incrementAndGet());
    try {
      for (String ns : List.of(pair.node, pair.router)) {
        Netns.run("ip", "netns", "add", ns);
        // no duplicate address detection: addresses, link-local ones too, are usable at once
        Netns.in(
            ns,
            "sysctl",
            "-qw",
            "net.ipv6.conf.all.accept_dad=0",
            "net.ipv6.conf.default.accept_dad=0");
      }
      Netns.run(
          "ip",
          "link",
          "add",
          pair.nodeInterface,
          "netns",
          pair.node,
          "type",
          "veth",
          "peer",
          "name",
          pair.routerInterface,
          "netns",
          pair.router);
      pair.inNode("link", "set", pair.nodeInterface, "up");
      pair.inRouter("link", "set", pair.routerInterface, "up");
      return pair;
    } catch (RuntimeException e) {
      pair.close();
      throw e;
    }
  }

  /** {@code ip -n <node> ...}: configures the node's namespace only. */
  public void inNode(String... ipArguments) {
    Netns.run(ip(node, ipArguments));
  }

  public void inRouter(String... ipArguments) {
    Netns.run(ip(router, ipArguments));
  }

  private static String[] ip(String namespace, String... arguments) {
    List<String> argv = new ArrayList<>(List.of("ip", "-n", namespace));
    argv.addAll(List.of(arguments));
    return argv.toArray(String[]::new);
  }

  /** Deleting the namespaces destroys the veth ends inside them: nothing else to undo. */
  @Override
  public void close() {
    for (String ns : List.of(node, router)) {
      Netns.tryRun("ip", "netns", "pids", ns)
          .output()
          .lines()
          .forEach(pid -> Netns.tryRun("kill", "-9", pid.strip()));
      Netns.tryRun("ip", "netns", "del", ns);
    }
  }
}
