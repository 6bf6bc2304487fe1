package dev.vrrp.e2e;

import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.lab.ApiRelay;
import dev.vrrp.agent.lab.ApiServer;
import dev.vrrp.agent.lab.Segment;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * 1000 VirtualIPs applied at once to a real API server, the operator and three agents in
 * namespaces: for each VirtualIP, the time from its creation until status.master names a node,
 * and the operator's memory. Writes benchmarks/results/scale.md.
 */
@Tag("benchmark")
class ScaleBenchmark {
  private static final int COUNT = Integer.getInteger("bench.vips", 1000);
  private static final String INTERVAL = System.getProperty("bench.interval", "300ms");
  private static final String HEARTBEAT = System.getProperty("bench.heartbeat", "60s");

  @TempDir Path dir;

  @Test
  void thousandVirtualIpsGetAMaster() throws Exception {
    try (ApiServer api = new ApiServer(); KubernetesClient client = api.client(); Segment lan = new Segment("sc")) {
      EndToEndIT.installCrd(client);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(EndToEndIT.NAMESPACE)
          .endMetadata().build()).create();
      Path kubeconfig = api.writeKubeconfig(dir);
      lan.host("ctl");
      try (ApiRelay relay = new ApiRelay(lan, api.port(), dir)) {
        relay.connect("ctl");
        EndToEndIT helper = new EndToEndIT();
        helper.dir = dir;
        // Agents refresh each entry every AGENT_HEARTBEAT: 1000 x 3 entries every 10 s (the default)
        // is more writes than this 2-core API server takes, so large installations raise it.
        Process operator = helper.startOperator(lan, kubeconfig, Map.of("AGENT_HEARTBEAT", HEARTBEAT));
        List<String> nodes = List.of("n1", "n2", "n3");
        for (int i = 0; i < nodes.size(); i++) {
          lan.host(nodes.get(i), "198.51.100.1" + (i + 1) + "/24", "2001:db8:ff::1" + (i + 1) + "/64");
          client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodes.get(i)).endMetadata()
              .withNewStatus().addNewAddress().withType("InternalIP").withAddress("198.51.100.1" + (i + 1))
              .endAddress().endStatus().build()).create();
          relay.connect(nodes.get(i));
        }
        client.resource(EndToEndIT.vip("warm-up")).create(); // the DaemonSet exists once a VirtualIP does
        DaemonSet ds = await().atMost(Duration.ofSeconds(60)).until(() -> client.apps().daemonSets()
            .inNamespace(EndToEndIT.NAMESPACE).withName("vrrp-agent").get(), d -> d != null);
        for (int i = 0; i < nodes.size(); i++) {
          helper.startAgentAsTheDaemonSetSays(lan, ds, nodes.get(i), "198.51.100.1" + (i + 1), kubeconfig);
        }
        Thread.sleep(5000); // the agents are running and watching

        Map<String, Instant> created = new ConcurrentHashMap<>();
        Map<String, Instant> mastered = new ConcurrentHashMap<>();
        SharedIndexInformer<VirtualIP> informer = client.resources(VirtualIP.class).inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(VirtualIP vip) {
                seen(vip);
              }

              @Override
              public void onUpdate(VirtualIP old, VirtualIP vip) {
                seen(vip);
              }

              @Override
              public void onDelete(VirtualIP vip, boolean unknown) {}

              private void seen(VirtualIP vip) {
                if (vip.getStatus() != null && vip.getStatus().getMaster() != null) {
                  mastered.putIfAbsent(vip.getMetadata().getName(), Instant.now());
                }
              }
            }, 0);
        Instant start = Instant.now();
        for (int i = 0; i < COUNT; i++) {
          VirtualIP vip = EndToEndIT.vip(String.format(Locale.ROOT, "vip-%04d", i));
          vip.getSpec().setAddresses(List.of(address(i)));
          vip.getSpec().setAdvertisementInterval(INTERVAL);
          created.put(vip.getMetadata().getName(), Instant.now());
          client.resource(vip).create();
        }
        Duration applying = Duration.between(start, Instant.now());
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
            .until(() -> created.keySet().stream().allMatch(mastered::containsKey));
        informer.close();
        double[] latencies = created.entrySet().stream()
            .mapToDouble(e -> Duration.between(e.getValue(), mastered.get(e.getKey())).toMillis() / 1000.0)
            .sorted().toArray();
        long rss = rssKiB(operator.pid());
        write(latencies, applying, rss, nodes.size());
      }
    }
  }

  /** 1000 addresses from the documentation ranges: IPv4 198.51.100.x and 192.0.2.x, then IPv6. */
  private static String address(int i) {
    if (i < 250) {
      return "198.51.100." + (i + 1) + "/24";
    }
    return String.format(Locale.ROOT, "2001:db8:ff::%x/64", 0x100 + i);
  }

  private static long rssKiB(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))];
  }

  private static void write(double[] s, Duration applying, long rssKiB, int nodes) throws Exception {
    String md = String.format(Locale.ROOT, """
        # 1000 VirtualIPs: time until each has a master

        Generated by `benchmarks/run` (e2e ScaleBenchmark) on %s, %d cores. Real kube-apiserver %s, the
        operator and %d `node-agent kubernetes` processes in network namespaces (reaching the API server over
        a loopback relay), agents running before the VirtualIPs are applied. Each VirtualIP: one address
        (250 IPv4, the rest IPv6), advertisement interval %s, all nodes selected, priorities ranked by the
        operator, agent heartbeat %s. Latency = creation request sent -> status.master first seen by a watch.

        | VirtualIPs | applying took | p50 | p90 | p99 | max | operator RSS |
        |---|---|---|---|---|---|---|
        | %d | %.1f s | %.2f s | %.2f s | %.2f s | %.2f s | %.1f MiB |
        """, Instant.now(), Runtime.getRuntime().availableProcessors(), ApiServer.VERSION, nodes, INTERVAL, HEARTBEAT,
        s.length, applying.toMillis() / 1000.0, percentile(s, 0.5), percentile(s, 0.9), percentile(s, 0.99),
        s[s.length - 1], rssKiB / 1024.0);
    Path out = Path.of("..", "benchmarks", "results", "scale.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
    System.out.println(md);
    System.out.println("latencies: " + Arrays.toString(Arrays.copyOf(s, Math.min(10, s.length))) + " ...");
  }

}
