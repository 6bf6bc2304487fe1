package dev.vrrp.agent;

import dev.vrrp.agent.lab.Agents;
import dev.vrrp.agent.lab.Keepalived;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CPU and memory of one daemon running 1, 100 and 1000 VRRPv3 instances at 1 s advertisements, all
 * of them master (the busiest case: every instance sends), our agent beside keepalived with the
 * equivalent configuration. Writes benchmarks/results/resources.md.
 */
@Tag("benchmark")
class ResourceBenchmark {
  private static final int PER_INTERFACE = 250;
  private static final long SETTLE_MS = Long.getLong("bench.settle.ms", 30_000);
  private static final long MEASURE_MS = Long.getLong("bench.measure.ms", 30_000);
  private static final double TICKS_PER_SECOND = 100.0;

  @TempDir Path dir;

  record Sample(
      String impl, int instances, double cpuPercentOfOneCore, double rssMiB, int masters) {}

  @Test
  void cpuAndMemoryAtScale() throws Exception {
    List<Sample> samples = new ArrayList<>();
    List<String> impls =
        List.of(System.getProperty("bench.impls", "node-agent,keepalived").split(","));
    for (String n : System.getProperty("bench.sizes", "1,100,1000").split(",")) {
      for (String impl : impls) {
        samples.add(measure(impl, Integer.parseInt(n)));
      }
    }
    if (Boolean.parseBoolean(System.getProperty("bench.write", "true"))) {
      write(samples);
    }
  }

  private Sample measure(String impl, int instances) throws Exception {
    int interfaces = (instances + PER_INTERFACE - 1) / PER_INTERFACE;
    try (Segment lan = new Segment("br")) {
      lan.host("n", "192.0.2.11/24");
      for (int i = 1; i < interfaces; i++) {
        lan.extraInterface("n", "eth" + i, "198.51.100." + (10 + i) + "/24");
      }
      Process p =
          impl.equals("node-agent")
              ? Agents.start(lan, "n", agentConfig(instances), dir)
              : Keepalived.start(lan, "n", keepalivedConfig(instances), dir);
      Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> masters(lan) >= instances);
      Thread.sleep(SETTLE_MS);
      List<Long> pids = pids(lan, p);
      long before = cpuTicks(pids);
      Thread.sleep(MEASURE_MS);
      long after = cpuTicks(pids);
      double cpu = (after - before) / TICKS_PER_SECOND / (MEASURE_MS / 1000.0) * 100;
      double rss = rssKiB(pids(lan, p)) / 1024.0;
      Sample s = new Sample(impl, instances, cpu, rss, masters(lan));
      System.out.printf(
          Locale.ROOT,
          "resources %-10s %4d instances: %.2f%% of one core, %.1f MiB RSS%n",
          impl,
          instances,
          cpu,
          rss);
      return s;
    }
  }

  /** Every instance is master once its address is on the interface. */
  private static int masters(Segment lan) {
    return (int)
        Netns.tryIn(lan.ns("n"), "ip", "-o", "-6", "address", "show", "scope", "global")
            .output()
            .lines()
            .filter(l -> l.contains("2001:db8:"))
            .count();
  }

  private static List<Long> pids(Segment lan, Process p) {
    if (!p.isAlive()) {
      throw new IllegalStateException("daemon exited early");
    }
    List<Long> pids = new ArrayList<>();
    pids.add(p.pid());
    p.descendants().forEach(h -> pids.add(h.pid()));
    return pids;
  }

  private static long cpuTicks(List<Long> pids) throws IOException {
    long total = 0;
    for (long pid : pids) {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      total += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }
    return total;
  }

  private static long rssKiB(List<Long> pids) throws IOException {
    long total = 0;
    for (long pid : pids) {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          total += Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    }
    return total;
  }

  private static String vip(int i) {
    return "2001:db8:"
        + (i / PER_INTERFACE + 1)
        + "::"
        + Integer.toHexString(i % PER_INTERFACE + 1);
  }

  private static String agentConfig(int n) {
    StringBuilder y = new StringBuilder("adminAddress: 127.0.0.1:9477\ninstances:\n");
    for (int i = 0; i < n; i++) {
      y.append(
          String.format(
              Locale.ROOT,
              "  - {name: VI_%d, interface: eth%d, virtualRouterId: %d, priority: 150, "
                  + "advertisementInterval: 1s, addresses: [\"%s/64\"]}%n",
              i,
              i / PER_INTERFACE,
              i % PER_INTERFACE + 1,
              vip(i)));
    }
    return y.toString();
  }

  private static String keepalivedConfig(int n) {
    StringBuilder c = new StringBuilder("global_defs {\n  router_id bench\n  vrrp_version 3\n}\n");
    for (int i = 0; i < n; i++) {
      c.append(
          String.format(
              Locale.ROOT,
              "vrrp_instance VI_%d {%n  state BACKUP%n  interface eth%d%n"
                  + "  virtual_router_id %d%n  priority 150%n  advert_int 1%n  virtual_ipaddress {%n    %s/64%n  }%n}%n",
              i,
              i / PER_INTERFACE,
              i % PER_INTERFACE + 1,
              vip(i)));
    }
    return c.toString();
  }

  private static void write(List<Sample> samples) throws IOException {
    StringBuilder md =
        new StringBuilder("# CPU and memory at scale\n\n")
            .append("Generated by `benchmarks/run` (ResourceBenchmark) on ")
            .append(Instant.now())
            .append(", ")
            .append(Runtime.getRuntime().availableProcessors())
            .append(" cores, keepalived ")
            .append(Keepalived.version())
            .append(".\n")
            .append(
                "One daemon, N VRRPv3 IPv6 instances (250 per interface), 1 s advertisements, every instance ")
            .append("master and sending. CPU = user+system time over ")
            .append(MEASURE_MS / 1000)
            .append(" s after ")
            .append(SETTLE_MS / 1000)
            .append(" s of settling; RSS = VmRSS of the daemon's processes. ")
            .append("node-agent JVM flags: `")
            .append(String.join(" ", Agents.JVM_FLAGS))
            .append("`.\n\n")
            .append(
                "| instances | implementation | CPU (% of one core) | RSS (MiB) |\n|---|---|---|---|\n");
    for (Sample s : samples) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %.2f | %.1f |%n",
              s.instances(),
              s.impl(),
              s.cpuPercentOfOneCore(),
              s.rssMiB()));
    }
    Path out = Path.of("..", "benchmarks", "results", "resources.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    System.out.println(md);
  }
}
