package dev.vrrp.e2e;

import static org.awaitility.Awaitility.await;

import dev.vrrp.api.ClientSerialization;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.lab.ApiServer;
import dev.vrrp.lab.Lab;
import dev.vrrp.lab.LogsOnFailure;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1000 VirtualIPs applied at once to a real API server, the operator and three agents in
 * namespaces: for each VirtualIP, the time from its creation until status.master names a node, and
 * the operator's memory. Writes benchmarks/results/scale.md.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("benchmark")
class ScaleBenchmark {
  private static final int COUNT = Integer.getInteger("bench.vips", 1000);
  private static final String INTERVAL = System.getProperty("bench.interval", "300ms");
  private static final String HEARTBEAT = System.getProperty("bench.heartbeat", "60s");

  @TempDir Path dir;

  @Test
  void thousandVirtualIpsGetAMaster() throws Exception {
    // Agents refresh each entry every agent.heartbeat: 1000 x 3 entries every 10 s (the default) is
    // more
    // writes than this 2-core API server takes, so large installations raise it.
    Lab.Settings settings =
        Lab.Settings.defaults(dir, EndToEndIT.prefix("sc"), EndToEndIT.REPO)
            .withChartValues(Map.of("agent.heartbeat", HEARTBEAT));
    // the benchmark's own watch and creations skip managedFields too: the instrument should not
    // take
    // the CPU the system under test needs
    try (Lab lab = Lab.start(settings, System.out::println);
        KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(lab.kubeconfig())))
                .withKubernetesSerialization(ClientSerialization.withoutManagedFields())
                .build()) {
      client
          .resource(EndToEndIT.vip("warm-up"))
          .create(); // the DaemonSet exists once a VirtualIP does
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> EndToEndIT.masterOf(client, "warm-up") != null);
      int nodes = settings.nodes().size();
      Map<String, Instant> created = new ConcurrentHashMap<>();
      Map<String, Instant> mastered = new ConcurrentHashMap<>();
      Stages stages = new Stages();
      SharedIndexInformer<VirtualIP> informer =
          stages.watch(
              client,
              vip -> created.containsKey(vip.getMetadata().getName()),
              vip -> {
                if (vip.getStatus() != null && vip.getStatus().getMaster() != null) {
                  mastered.putIfAbsent(vip.getMetadata().getName(), Instant.now());
                }
              });
      warmUpInstrument(client);
      String quiet = waitUntilQuiet();
      CpuUse cpu = CpuUse.sample();
      Instant start = Instant.now();
      for (int i = 0; i < COUNT; i++) {
        VirtualIP vip = EndToEndIT.vip(String.format(Locale.ROOT, "vip-%04d", i));
        vip.getSpec().setAddresses(List.of(address(i)));
        vip.getSpec().setAdvertisementInterval(INTERVAL);
        created.put(vip.getMetadata().getName(), Instant.now());
        client.resource(vip).create();
      }
      Duration applying = Duration.between(start, Instant.now());
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> created.keySet().stream().allMatch(mastered::containsKey));
      informer.close();
      String flaps =
          Stages.transitions(
              client.resources(VirtualIP.class).list().getItems().stream()
                  .filter(v -> created.containsKey(v.getMetadata().getName()))
                  .toList());
      CpuUse used = CpuUse.sample().minus(cpu);
      Duration wall = Duration.between(start, Instant.now());
      double[] latencies =
          created.entrySet().stream()
              .mapToDouble(
                  e -> Duration.between(e.getValue(), mastered.get(e.getKey())).toMillis() / 1000.0)
              .sorted()
              .toArray();
      // the operator's replicas: the leader does the work, so the larger one
      long rss = 0;
      for (long pid : lab.processes("operator.jar")) {
        rss = Math.max(rss, rssKiB(pid));
      }
      write(
          latencies,
          applying,
          rss,
          nodes,
          quiet,
          stages.table(created)
              + "\n"
              + byCreationOrder(start, created, mastered, stages)
              + "\nUpdates the watch saw until the last master, by what changed:\n\n"
              + stages.writes(created.size())
              + "\n"
              + flaps,
          used.table(wall, "from the first creation until the last master"));
    }
  }

  /**
   * The latency of each tenth of the VirtualIPs in creation order: whether the slow ones cluster
   * (late in the run, with more instances running and heartbeat refreshes due) or are spread out.
   */
  static String byCreationOrder(
      Instant start, Map<String, Instant> created, Map<String, Instant> mastered, Stages stages) {
    List<Map.Entry<String, Instant>> ordered =
        created.entrySet().stream()
            .filter(e -> mastered.containsKey(e.getKey()))
            .sorted(Map.Entry.comparingByValue())
            .toList();
    StringBuilder md =
        new StringBuilder(
            "By creation order (tenths of the VirtualIPs; p99 of each stage too):\n\n"
                + "| VirtualIPs | created at | p50 | p99 | max | p99 plan | p99 first entry | p99 MASTER entry |\n"
                + "|---|---|---|---|---|---|---|---|\n");
    int tenth = Math.max(1, ordered.size() / 10);
    for (int from = 0; from < ordered.size(); from += tenth) {
      List<Map.Entry<String, Instant>> part =
          ordered.subList(from, Math.min(ordered.size(), from + tenth));
      double[] s =
          part.stream()
              .mapToDouble(
                  e -> Duration.between(e.getValue(), mastered.get(e.getKey())).toMillis() / 1000.0)
              .sorted()
              .toArray();
      md.append(
          String.format(
              Locale.ROOT,
              "| %d-%d | %.0f-%.0f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s |%n",
              from + 1,
              from + part.size(),
              Duration.between(start, part.get(0).getValue()).toMillis() / 1000.0,
              Duration.between(start, part.get(part.size() - 1).getValue()).toMillis() / 1000.0,
              Stages.percentile(s, 0.5),
              Stages.percentile(s, 0.99),
              s[s.length - 1],
              stages.p99(Stages.Stage.PLANNED, part),
              stages.p99(Stages.Stage.FIRST_ENTRY, part),
              stages.p99(Stages.Stage.MASTER_ENTRY, part)));
    }
    return md.toString();
  }

  /**
   * Waits until the freshly started lab (API server, etcd, operator, agents, relays) has settled: a
   * 2 s window in which all of it used less than 10% of one core, for at most 60 s. A user applies
   * VirtualIPs to an installation that has been running, not in the seconds its pods start.
   */
  private static String waitUntilQuiet() throws InterruptedException {
    long started = System.nanoTime();
    double load;
    do {
      CpuUse before = CpuUse.sample();
      Thread.sleep(2000);
      load = CpuUse.sample().minus(before).othersTotal().toMillis() / 2000.0;
    } while (load >= 0.10 && System.nanoTime() - started < 60_000_000_000L);
    return String.format(
        Locale.ROOT,
        "The burst started once the lab was quiet: in the 2 s before it, everything "
            + "but the benchmark used %.0f%% of one core (waited %.0f s after the warm-up VirtualIP got its master).",
        load * 100,
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * Compiles the benchmark's own reading of VirtualIP watch events before the clock starts: its
   * watch timestamps every stage, and a cold JVM decoding the first hundred VirtualIPs' events
   * would add its own delay to theirs. Runs locally, without a request: the API server, the
   * operator and the agents stay exactly as cold as after installing.
   */
  private static void warmUpInstrument(KubernetesClient client) {
    VirtualIP sample = client.resources(VirtualIP.class).withName("warm-up").get();
    String json = client.getKubernetesSerialization().asJson(new WatchEvent(sample, "MODIFIED"));
    for (int i = 0; i < 20_000; i++) {
      client.getKubernetesSerialization().unmarshal(json, WatchEvent.class);
    }
  }

  /**
   * Addresses from the documentation ranges, none of them a lab node's: 198.51.100.20-219, then
   * IPv6.
   */
  private static String address(int i) {
    if (i < 200) {
      return "198.51.100." + (i + 20) + "/24";
    }
    return String.format(Locale.ROOT, "2001:db8::%x/64", 0x1000 + i);
  }

  static long rssKiB(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  private static void write(
      double[] s,
      Duration applying,
      long rssKiB,
      int nodes,
      String quiet,
      String stages,
      String cpu)
      throws Exception {
    String md =
        String.format(
            Locale.ROOT,
            """
        # 1000 VirtualIPs: time until each has a master

        Generated by `benchmarks/run` (e2e ScaleBenchmark) on %s, %d cores. Real kube-apiserver %s, the
        chart installed with Helm, the operator and %d `node-agent kubernetes` processes in network namespaces as
        `./lab` runs them (service-account tokens, the API server over a loopback relay), agents running before the VirtualIPs are applied. Each VirtualIP: one address
        (200 IPv4, the rest IPv6), advertisement interval %s, all nodes selected, priorities ranked by the
        operator, agent heartbeat %s. Latency = creation request sent -> status.master first seen by a watch.

        | VirtualIPs | applying took | p50 | p90 | p99 | max | operator RSS |
        |---|---|---|---|---|---|---|
        | %d | %.1f s | %.2f s | %.2f s | %.2f s | %.2f s | %.1f MiB |

        %s

        Where the time goes: each stage's time after the creation request, as the benchmark's watch saw it.

        %s
        %s""",
            Instant.now(),
            Runtime.getRuntime().availableProcessors(),
            ApiServer.VERSION,
            nodes,
            INTERVAL,
            HEARTBEAT,
            s.length,
            applying.toMillis() / 1000.0,
            Stages.percentile(s, 0.5),
            Stages.percentile(s, 0.9),
            Stages.percentile(s, 0.99),
            s[s.length - 1],
            rssKiB / 1024.0,
            quiet,
            stages,
            cpu);
    // the default interval writes scale.md; another one its own file, e.g. scale-100ms.md
    Path out =
        Path.of(
            "..",
            "benchmarks",
            "results",
            INTERVAL.equals("300ms") ? "scale.md" : "scale-" + INTERVAL + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
    System.out.println(md);
    System.out.println(
        "latencies: " + Arrays.toString(Arrays.copyOf(s, Math.min(10, s.length))) + " ...");
  }
}
