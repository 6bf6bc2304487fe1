package dev.vrrp.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A layer-2 segment for tests: a bridge in its own namespace, and hosts (namespaces) each wired to
 * it by a veth pair whose host end is called eth0. Documentation addresses only. Unique names per
 * run; {@link #close()} removes every namespace even after a failure.
 */
public final class Segment implements AutoCloseable {
  private final String prefix;
  private final String bridgeNs;
  private final Map<String, String> hosts = new LinkedHashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private int extra;

  /** A segment with names unique to this run, for tests that may run side by side. */
  public Segment(String tag) {
    this(
        new Names(
            tag + (ProcessHandle.current().pid() % 100000) + "x" + (System.nanoTime() % 1000)));
  }

  /**
   * A segment whose namespaces are called {@code <prefix>-br}, {@code <prefix>-<host>}: stable
   * names, so that {@link #removeLeftovers} finds them after a crash.
   */
  public static Segment named(String prefix) {
    return new Segment(new Names(prefix));
  }

  private record Names(String prefix) {}

  private Segment(Names names) {
    Netns.requireRoot();
    this.prefix = names.prefix();
    this.bridgeNs = prefix + "-br";
    Netns.run("ip", "netns", "add", bridgeNs);
    addBridge("br0");
    Netns.in(bridgeNs, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
  }

  /** A bridge in the bridge namespace, forwarding at once (no STP, no forward delay). */
  private void addBridge(String bridge) {
    Netns.in(
        bridgeNs,
        "ip",
        "link",
        "add",
        bridge,
        "type",
        "bridge",
        "stp_state",
        "0",
        "forward_delay",
        "0");
    Netns.in(bridgeNs, "ip", "link", "set", bridge, "up");
  }

  /** A veth pair: {@code port} on {@code bridge}, {@code interfaceName} in {@code ns}, both up. */
  private void wire(String port, String bridge, String ns, String interfaceName) {
    Netns.run(
        "ip",
        "-n",
        bridgeNs,
        "link",
        "add",
        port,
        "type",
        "veth",
        "peer",
        "name",
        interfaceName,
        "netns",
        ns);
    Netns.in(bridgeNs, "ip", "link", "set", port, "master", bridge);
    Netns.in(bridgeNs, "ip", "link", "set", port, "up");
    Netns.in(ns, "ip", "link", "set", interfaceName, "up");
  }

  /** Adds a host with the given addresses on eth0, e.g. "192.0.2.11/24", "2001:db8::11/64". */
  public String host(String name, String... addresses) {
    String ns = prefix + "-" + name;
    String port = "p" + hosts.size();
    Netns.run("ip", "netns", "add", ns);
    Netns.in(ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0");
    Netns.in(ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
    wire(port, "br0", ns, "eth0");
    Netns.in(ns, "ip", "link", "set", "lo", "up");
    for (String address : addresses) {
      Netns.in(ns, "ip", "address", "add", address, "dev", "eth0");
    }
    hosts.put(name, ns);
    return ns;
  }

  /**
   * Wires one more interface of an existing host to a bridge of its own: a second layer-2 segment,
   * so the same VRIDs can be reused there as on a real second VLAN.
   */
  public void extraInterface(String host, String interfaceName, String... addresses) {
    String ns = hosts.get(host);
    int n = extra++;
    String port = "x" + n;
    String bridge = "brx" + n;
    addBridge(bridge);
    wire(port, bridge, ns, interfaceName);
    for (String address : addresses) {
      Netns.in(ns, "ip", "address", "add", address, "dev", interfaceName);
    }
  }

  public String ns(String host) {
    return hosts.get(host);
  }

  /** Cuts or restores a host's link from the bridge side, as a pulled cable would. */
  public void link(String host, boolean up) {
    int index = new ArrayList<>(hosts.keySet()).indexOf(host);
    Netns.in(bridgeNs, "ip", "link", "set", "p" + index, up ? "up" : "down");
  }

  /**
   * Cuts or restores a host's traffic on the bridge while its carrier stays up: a partition (a
   * broken switch path, a VLAN misconfiguration), which neither side can tell from a dead peer.
   */
  public void partition(String host, boolean cut) {
    String port = "p" + new ArrayList<>(hosts.keySet()).indexOf(host);
    if (cut) {
      Netns.in(bridgeNs, ExternalTools.require("nft"), "add table bridge partition");
      Netns.in(
          bridgeNs,
          ExternalTools.require("nft"),
          "add chain bridge partition forward { type filter hook forward priority 0; }");
      Netns.in(
          bridgeNs,
          ExternalTools.require("nft"),
          "add rule bridge partition forward iifname " + port + " drop");
      Netns.in(
          bridgeNs,
          ExternalTools.require("nft"),
          "add rule bridge partition forward oifname " + port + " drop");
    } else {
      Netns.tryIn(bridgeNs, ExternalTools.require("nft"), "delete table bridge partition");
    }
  }

  /**
   * Drops this share of the VRRP packets (IP protocol 112) the bridge forwards, at random (nftables
   * {@code numgen}; this kernel has no netem): pcap frames and raw sockets alike. 0 stops it.
   */
  public void vrrpLoss(int percent) {
    String nft = ExternalTools.require("nft");
    Netns.tryIn(bridgeNs, nft, "delete table bridge loss");
    if (percent <= 0) {
      return;
    }
    Netns.in(bridgeNs, nft, "add table bridge loss");
    Netns.in(
        bridgeNs, nft, "add chain bridge loss forward { type filter hook forward priority 0; }");
    Netns.in(
        bridgeNs,
        nft,
        "add rule bridge loss forward ip protocol 112 numgen random mod 100 < "
            + percent
            + " drop");
  }

  /** The namespace of the bridge, for captures of everything the segment carries. */
  public String bridgeNamespace() {
    return bridgeNs;
  }

  /** The MAC address of a host's eth0. */
  public String mac(String host) {
    return Netns.in(ns(host), "cat", "/sys/class/net/eth0/address").strip();
  }

  public boolean holds(String host, String address) {
    return held(host, List.of(address)).contains(address);
  }

  /** Which of {@code addresses} the host's eth0 has now: one look for all of them. */
  public Set<String> held(String host, Collection<String> addresses) {
    return AddressChanges.heldOnEth0(ns(host), addresses);
  }

  public Process start(String host, List<String> argv, Path log) throws IOException {
    return start(host, argv, Map.of(), log);
  }

  public Process start(String host, List<String> argv, Map<String, String> env, Path log)
      throws IOException {
    ProcessBuilder builder =
        Netns.processIn(ns(host), argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  /**
   * Kills what runs in, and deletes, every namespace of a segment called {@code prefix}; returns
   * them.
   */
  public static List<String> removeLeftovers(String prefix) {
    List<String> removed = new ArrayList<>();
    for (String line : Netns.tryRun("ip", "netns", "list").output().lines().toList()) {
      String ns = line.split(" ")[0];
      if (ns.startsWith(prefix + "-")) {
        Netns.tryRun("ip", "netns", "pids", ns)
            .output()
            .lines()
            .forEach(pid -> Netns.tryRun("kill", "-9", pid.strip()));
        Netns.tryRun("ip", "netns", "del", ns);
        removed.add(ns);
      }
    }
    return removed;
  }

  public String prefix() {
    return prefix;
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (String ns : hosts.values()) {
      Netns.tryRun("ip", "netns", "pids", ns)
          .output()
          .lines()
          .forEach(pid -> Netns.tryRun("kill", "-9", pid.strip()));
      Netns.tryRun("ip", "netns", "del", ns);
    }
    Netns.tryRun("ip", "netns", "del", bridgeNs);
  }
}
