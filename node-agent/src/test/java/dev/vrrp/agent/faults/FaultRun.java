package dev.vrrp.agent.faults;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vrrp.agent.lab.Agents;
import dev.vrrp.agent.lab.Capture;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Three agents (a 200, b 150, c 100) and a client pinging the VIP every 5 ms on one bridge; faults
 * in random order, each undone after a random while, then the segment settles back to a as master.
 * Everything is judged afterwards from a capture on the bridge and a watch of every node's
 * addresses: no timing is asserted while it runs.
 */
final class FaultRun implements AutoCloseable {
  static final String VIP = "192.0.2.100";
  static final int VRID = 51;
  private static final Map<String, Integer> PRIORITY = Map.of("a", 200, "b", 150, "c", 100);
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One fault, its times (epoch nanoseconds) and what the wire and the kernels showed: over the
   * whole window, from the fault to its undoing, and from its undoing until settled.
   */
  record Result(
      int n,
      Fault fault,
      String target,
      long injected,
      long restored,
      long settled,
      Figures whole,
      Figures during,
      Figures after,
      double onTwoNodesMs,
      double onTwoNodesAfterMs) {}

  private record Times(
      int n, Fault fault, String target, long injected, long restored, long settled) {}

  private final Segment lan = new Segment("ft");
  private final Path dir;
  private final Duration interval;
  private final Random random;
  private final Map<String, Process> agents = new HashMap<>();
  private Duration crashLoop = Duration.ofMinutes(1);
  private final List<Times> times = new ArrayList<>();
  private Capture capture;
  private AddressWatch watch;

  FaultRun(Path dir, Duration interval, long seed) {
    this.dir = dir;
    this.interval = interval;
    this.random = new Random(seed);
  }

  /** How long a {@link Fault#CRASH_LOOP} lasts (a minute by default). */
  FaultRun crashLoopFor(Duration length) {
    this.crashLoop = length;
    return this;
  }

  /** Runs {@code events} faults drawn from {@code faults} and returns what each did. */
  List<Result> run(int events, List<Fault> faults) throws Exception {
    lan.host("client", "192.0.2.50/24");
    Map<String, String> namespaces = new LinkedHashMap<>();
    Map<String, String> nodeByMac = new HashMap<>();
    for (String node : List.of("a", "b", "c")) {
      namespaces.put(node, lan.host(node, "192.0.2." + (11 + node.charAt(0) - 'a') + "/24"));
      nodeByMac.put(lan.mac(node), node);
    }
    nodeByMac.put(lan.mac("client"), "client");
    capture = Capture.onBridge(lan, "ip proto 112 or arp or icmp[icmptype] == icmp-echoreply", dir);
    watch = new AddressWatch(namespaces, VIP);
    for (String node : List.of("a", "b", "c")) {
      start(node);
    }
    settle();
    Process ping =
        Netns.processIn(lan.ns("client"), List.of("ping", "-n", "-q", "-i", "0.005", VIP))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ping.log").toFile())
            .start();
    try {
      for (int n = 0; n < events; n++) {
        inject(n, faults.get(random.nextInt(faults.size())));
      }
    } finally {
      ping.destroy();
      watch.close();
    }
    Path pcap = capture.stop();
    List<Observation> seen =
        new CaptureReader(nodeByMac, InetAddress.getByName(VIP), VRID).read(pcap);
    Timeline timeline = new Timeline(seen, interval.toNanos());
    List<Result> results = new ArrayList<>();
    for (Times t : times) {
      results.add(
          new Result(
              t.n(),
              t.fault(),
              t.target(),
              t.injected(),
              t.restored(),
              t.settled(),
              timeline.measure(t.injected(), t.settled()),
              timeline.measure(t.injected(), t.restored()),
              timeline.measure(t.restored(), t.settled()),
              watch.onTwoNodes(t.injected(), t.settled()) / 1e6,
              watch.onTwoNodes(t.restored(), t.settled()) / 1e6));
    }
    return results;
  }

  /** The nodes that hold the VIP at the end, each with the addresses of its eth0. */
  Map<String, String> addresses() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String node : List.of("a", "b", "c")) {
      out.put(
          node, Netns.tryIn(lan.ns(node), "ip", "-o", "address", "show", "dev", "eth0").output());
    }
    return out;
  }

  private void inject(int n, Fault fault) throws Exception {
    String target = fault == Fault.KILL_BACKUP ? (random.nextBoolean() ? "b" : "c") : "a";
    long injected = AddressWatch.now();
    switch (fault) {
      case KILL, KILL_BACKUP -> {
        agents.get(target).destroyForcibly().waitFor();
        pause(
            500, 3000); // the kubelet's restart back-off starts at 10 s; a supervisor's is shorter
        start(target);
      }
      case TERM -> {
        agents.get(target).destroy();
        agents.get(target).waitFor();
        pause(300, 1500);
        start(target);
      }
      case RESTART -> {
        agents.get(target).destroy();
        agents.get(target).waitFor();
        start(target);
      }
      case LINK -> {
        lan.link(target, false);
        pause(1000, 2500);
        lan.link(target, true);
      }
      case CRASH_LOOP -> {
        long end = System.nanoTime() + crashLoop.toNanos();
        while (System.nanoTime() < end) {
          agents.get(target).destroyForcibly().waitFor();
          start(target);
          pause(2000, 5000);
        }
      }
      case PARTITION -> {
        lan.partition(target, true);
        pause(1000, 2500);
        lan.partition(target, false);
      }
    }
    long restored = AddressWatch.now();
    try {
      settle();
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "fault #"
              + n
              + " "
              + fault
              + " on "
              + target
              + ": not settled within "
              + SETTLE
              + " (a holds the VIP alone, b and c are backups): "
              + holders(),
          e);
    }
    // a few more intervals, so the window also holds the settled state's first advertisements
    Thread.sleep(interval.toMillis() * 3);
    times.add(new Times(n, fault, target, injected, restored, AddressWatch.now()));
  }

  private void pause(int fromMs, int toMs) throws InterruptedException {
    Thread.sleep(fromMs + random.nextInt(toMs - fromMs));
  }

  private String holders() {
    StringBuilder out = new StringBuilder();
    for (String node : List.of("a", "b", "c")) {
      out.append(node)
          .append(lan.holds(node, VIP) ? " holds it" : " does not")
          .append(
              agents.get(node) != null && agents.get(node).isAlive()
                  ? ", agent runs; "
                  : ", agent dead; ");
    }
    return out.toString();
  }

  // a holds the VIP alone, and every agent runs
  private void settle() {
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                lan.holds("a", VIP)
                    && !lan.holds("b", VIP)
                    && !lan.holds("c", VIP)
                    && agents.values().stream().allMatch(Process::isAlive)
                    && List.of("b", "c").stream().allMatch(this::backup));
  }

  private boolean backup(String node) {
    var result = Netns.tryIn(lan.ns(node), "curl", "-sf", "http://" + Agents.ADMIN + "/state");
    if (result.exit() != 0) {
      return false;
    }
    try {
      var instance = JSON.readTree(result.output()).path("instances").path(0);
      return "BACKUP".equals(instance.path("state").asText());
    } catch (IOException e) {
      return false;
    }
  }

  private void start(String node) throws Exception {
    String yaml =
        Agents.config(
            "VI_1", VRID, PRIORITY.get(node), 3, interval.toMillis() + "ms", VIP + "/24", "");
    agents.put(node, Agents.start(lan, node, yaml, dir));
  }

  @Override
  public void close() {
    lan.close();
  }
}
