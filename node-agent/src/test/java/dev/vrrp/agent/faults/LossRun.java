package dev.vrrp.agent.faults;

import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.lab.Agents;
import dev.vrrp.agent.lab.Capture;
import dev.vrrp.agent.lab.Keepalived;
import dev.vrrp.lab.Segment;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two node-agent pairs' worth of comparison under packet loss: a node-agent pair (200/100, VRID 51)
 * and a keepalived pair at the same settings (VRID 52) on one bridge, VRRPv3, 100 ms
 * advertisements. The bridge drops a share of all VRRP packets; every takeover by a backup is a
 * spurious transition (the master never went away), counted from a capture on the bridge, which
 * sees every advertisement sent, dropped or not.
 */
final class LossRun implements AutoCloseable {
  static final String AGENT_VIP = "192.0.2.100";
  static final String KEEPALIVED_VIP = "192.0.2.101";
  private static final Duration INTERVAL = Duration.ofMillis(100);

  /** Spurious backup takeovers per implementation at one loss rate. */
  record Result(int lossPercent, Duration duration, long agentTakeovers, long keepalivedTakeovers) {
    double perHour(long takeovers) {
      return takeovers * 3600.0 / duration.toMillis() * 1000;
    }
  }

  private final Segment lan = new Segment("lo");
  private final Path dir;

  LossRun(Path dir) {
    this.dir = dir;
  }

  List<Result> run(List<Integer> lossPercents, Duration each) throws Exception {
    Map<String, String> nodeByMac = new HashMap<>();
    int n = 11;
    for (String host : List.of("agent-m", "agent-b", "ka-m", "ka-b")) {
      lan.host(host, "192.0.2." + n++ + "/24");
      nodeByMac.put(lan.mac(host), host);
    }
    Agents.start(
        lan, "agent-m", Agents.config("VI_1", 51, 200, 3, "100ms", AGENT_VIP + "/24", ""), dir);
    Agents.start(
        lan, "agent-b", Agents.config("VI_1", 51, 100, 3, "100ms", AGENT_VIP + "/24", ""), dir);
    Keepalived.start(
        lan, "ka-m", Keepalived.conf(3, 52, 200, "0.1", KEEPALIVED_VIP + "/24", ""), dir);
    Keepalived.start(
        lan, "ka-b", Keepalived.conf(3, 52, 100, "0.1", KEEPALIVED_VIP + "/24", ""), dir);
    settle();
    Capture capture = Capture.onBridge(lan, "ip proto 112", dir);
    List<long[]> windows = new ArrayList<>();
    for (int loss : lossPercents) {
      long from = AddressWatch.now();
      lan.vrrpLoss(loss);
      Thread.sleep(each.toMillis());
      lan.vrrpLoss(0);
      long to = AddressWatch.now();
      windows.add(new long[] {from, to});
      settle();
    }
    Path pcap = capture.stop();
    Timeline agents =
        new Timeline(
            new CaptureReader(nodeByMac, InetAddress.getByName(AGENT_VIP), 51).read(pcap),
            INTERVAL.toNanos());
    Timeline keepalived =
        new Timeline(
            new CaptureReader(nodeByMac, InetAddress.getByName(KEEPALIVED_VIP), 52).read(pcap),
            INTERVAL.toNanos());
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < lossPercents.size(); i++) {
      long from = windows.get(i)[0];
      long to = windows.get(i)[1];
      results.add(
          new Result(
              lossPercents.get(i),
              Duration.ofNanos(to - from),
              agents.masterRuns("agent-b", from, to),
              keepalived.masterRuns("ka-b", from, to)));
    }
    return results;
  }

  /** The masters hold their VIPs alone. */
  boolean settledOnMasters() {
    return lan.holds("agent-m", AGENT_VIP)
        && !lan.holds("agent-b", AGENT_VIP)
        && lan.holds("ka-m", KEEPALIVED_VIP)
        && !lan.holds("ka-b", KEEPALIVED_VIP);
  }

  private void settle() {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(this::settledOnMasters);
  }

  static String markdown(List<Result> results, String setup) {
    StringBuilder md =
        new StringBuilder("# Packet loss on the VRRP path\n\n").append(setup).append("\n\n");
    md.append(
        "| loss | time | node-agent: backup takeovers | per hour | keepalived: backup takeovers | per hour |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (Result r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d %% | %d s | %d | %.0f | %d | %.0f |%n",
              r.lossPercent(),
              r.duration().toSeconds(),
              r.agentTakeovers(),
              r.perHour(r.agentTakeovers()),
              r.keepalivedTakeovers(),
              r.perHour(r.keepalivedTakeovers())));
    }
    return md.toString();
  }

  @Override
  public void close() {
    lan.close();
  }
}
