package dev.vrrp.operator;

import static dev.vrrp.operator.Cluster.node;
import static dev.vrrp.operator.Cluster.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.lab.SharedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator alone at scale on a real API server: 1000 VirtualIPs on 3 nodes (250 IPv4, 750 IPv6,
 * so IPv6 runs out of VRIDs and shares), then agents' entries written for all of them. Reports per
 * VirtualIP the time from creation to a plan in status, and from the agents' reports to {@code
 * status.master}. Run: {@code -Dit.groups=benchmark -Dit.test=OperatorScaleBenchmark}.
 */
@Tag("benchmark")
class OperatorScaleBenchmark {
  static final int COUNT = Integer.getInteger("bench.vips", 1000);
  @RegisterExtension static final SharedApiServer API = new SharedApiServer();
  static KubernetesClient client;

  @Test
  void aThousandVirtualIps() throws Exception {
    client = API.client();
    Cluster.installCrd(client);
    Cluster.createNamespace(client, "vrrp-scale");
    for (int i = 1; i <= 3; i++) {
      node(client, "n" + i);
    }
    Map<String, Instant> planned = new ConcurrentHashMap<>();
    Map<String, Instant> mastered = new ConcurrentHashMap<>();
    var informer =
        client
            .resources(VirtualIP.class)
            .inform(
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
                    if (vip.getStatus() != null && vip.getStatus().getVirtualRouterId() != null) {
                      planned.putIfAbsent(vip.getMetadata().getName(), Instant.now());
                    }
                    if (vip.getStatus() != null && vip.getStatus().getMaster() != null) {
                      mastered.putIfAbsent(vip.getMetadata().getName(), Instant.now());
                    }
                  }
                },
                0);
    OperatorSettings settings =
        OperatorSettings.defaults("vrrp-scale")
            .withIdentity("scale")
            .withExitOnLostLeadership(false);
    System.gc();
    long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (VirtualIpOperator operator =
        new VirtualIpOperator(client, settings, registry, Clock.systemUTC())) {
      operator.start();
      await().atMost(Duration.ofSeconds(30)).until(operator::leading);

      Map<String, Instant> created = new ConcurrentHashMap<>();
      Instant start = Instant.now();
      ExecutorService creators = Executors.newFixedThreadPool(8);
      for (int i = 0; i < COUNT; i++) {
        String name = String.format(Locale.ROOT, "vip-%04d", i);
        String address =
            i < 250
                ? "198.51.100." + (i + 1) + "/24"
                : String.format(Locale.ROOT, "2001:db8:ff::%x/64", 0x100 + i);
        creators.submit(
            () -> {
              VirtualIP vip = Cluster.vip(name, Map.of(), address);
              vip.getSpec().setInterfaceName("eth0");
              vip.getSpec().setAdvertisementInterval("300ms");
              created.put(name, Instant.now());
              client.resource(vip).create();
            });
      }
      creators.shutdown();
      assertThat(creators.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
      Duration applying = Duration.between(start, Instant.now());
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> planned.size() >= COUNT);
      double[] toPlan = latencies(created, planned);

      // every agent reports every VirtualIP: the planned top node MASTER, the others BACKUP
      Map<String, Instant> reported = new ConcurrentHashMap<>();
      ExecutorService agents = Executors.newFixedThreadPool(12);
      for (VirtualIP vip : client.resources(VirtualIP.class).list().getItems()) {
        String name = vip.getMetadata().getName();
        String top = vip.getStatus().getPriorities().get(0).getNode();
        agents.submit(
            () -> {
              Instant now = Instant.now();
              reported.put(name, now);
              for (int n = 1; n <= 3; n++) {
                report(
                    client, name, "n" + n, ("n" + n).equals(top) ? "MASTER" : "BACKUP", now, now);
              }
            });
      }
      Instant agentsStarted = Instant.now();
      agents.shutdown();
      assertThat(agents.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
      System.out.printf(
          Locale.ROOT,
          "%d agent entries written in %.1f s%n",
          COUNT * 3,
          Duration.between(agentsStarted, Instant.now()).toMillis() / 1000.0);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> mastered.size() >= COUNT);
      double[] toMaster = latencies(reported, mastered);

      System.gc();
      long heapAfter = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      long shared =
          client.resources(VirtualIP.class).list().getItems().stream()
              .filter(
                  v ->
                      v.getStatus().getConditions().stream()
                          .anyMatch(c -> "VridShared".equals(c.getReason())))
              .count();
      System.out.printf(
          Locale.ROOT,
          "%d VirtualIPs applied in %.1f s; %d share a VRID%n",
          COUNT,
          applying.toMillis() / 1000.0,
          shared);
      System.out.printf(
          Locale.ROOT,
          "creation -> plan in status:   p50 %.2f s  p99 %.2f s  max %.2f s%n",
          pct(toPlan, 0.5),
          pct(toPlan, 0.99),
          toPlan[toPlan.length - 1]);
      System.out.printf(
          Locale.ROOT,
          "agents' reports -> master:    p50 %.2f s  p99 %.2f s  max %.2f s%n",
          pct(toMaster, 0.5),
          pct(toMaster, 0.99),
          toMaster[toMaster.length - 1]);
      System.out.printf(
          Locale.ROOT,
          "operator status writes: %.0f, reconciles: %d%n",
          registry.get("vrrp.operator.status.writes").counter().count(),
          registry.get("vrrp.operator.reconcile").timer().count());
      System.out.printf(
          Locale.ROOT,
          "heap growth of the test JVM (operator + this test's informer): %.1f MiB%n",
          (heapAfter - heapBefore) / 1048576.0);
    } finally {
      informer.close();
    }
  }

  private static double[] latencies(Map<String, Instant> from, Map<String, Instant> to) {
    return from.entrySet().stream()
        .filter(e -> to.containsKey(e.getKey()))
        .mapToDouble(
            e ->
                Math.max(0, Duration.between(e.getValue(), to.get(e.getKey())).toMillis()) / 1000.0)
        .sorted()
        .toArray();
  }

  private static double pct(double[] sorted, double p) {
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))];
  }
}
