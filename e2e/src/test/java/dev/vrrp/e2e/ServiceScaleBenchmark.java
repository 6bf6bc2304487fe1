package dev.vrrp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPPoolSpec;
import dev.vrrp.lab.ApiServer;
import dev.vrrp.lab.Lab;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.operator.services.ServiceVirtualIps;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 LoadBalancer Services created at once in the lab, the agents running: for each, the time from
 * its creation request to {@code status.loadBalancer.ingress} and to the client's first HTTP answer
 * through the address (the operator's pods behind every Service), and the operator's memory. Once
 * as is, once with the leading operator replica killed (SIGKILL) halfway through the creations:
 * every Service must end with one address of its own, none handed out twice, none moved or
 * recreated afterwards. Writes benchmarks/results/services.md and services-leader-killed.md.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("benchmark")
class ServiceScaleBenchmark {
  private static final int COUNT = Integer.getInteger("bench.services", 200);
  private static final String INTERVAL = System.getProperty("bench.serviceInterval", "1s");
  private static final String POOL = "bench";

  @TempDir Path dir;

  @Test
  void servicesCreatedAtOnceGetAnAddressThatAnswers() throws Exception {
    run(false, "services.md");
  }

  @Test
  void servicesCreatedAtOnceWhileTheLeaderIsKilledEachKeepOneAddress() throws Exception {
    run(true, "services-leader-killed.md");
  }

  private void run(boolean killLeader, String resultFile) throws Exception {
    try (Lab lab = EndToEndIT.startLab(dir, killLeader ? "svk" : "sv")) {
      KubernetesClient client = lab.admin();
      Map<String, String> backends = LoadBalancerServiceIT.operatorPods(client);
      VirtualIPPool pool = new VirtualIPPool();
      pool.getMetadata().setName(POOL);
      VirtualIPPoolSpec spec = new VirtualIPPoolSpec();
      // the lab's segment, above its nodes and gateway: 220 addresses
      spec.setAddresses(new ArrayList<>(List.of("192.0.2.20-192.0.2.239")));
      spec.setInterfaceName("eth0");
      spec.setAdvertisementInterval(INTERVAL);
      pool.setSpec(spec);
      client.resource(pool).create();

      // the agents' DaemonSet starts with the first VirtualIP: a warm-up Service first
      client.resource(service("warm-up", backends)).create();
      String warm =
          await()
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> LoadBalancerServiceIT.ingress(client, "warm-up"), a -> a != null);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> LoadBalancerServiceIT.answers(lab.lan(), warm));
      Thread.sleep(5000); // the backups of the warm-up's VirtualIP start, the lab settles

      Map<String, Long> created = new ConcurrentHashMap<>();
      Map<String, Long> ingressed = new ConcurrentHashMap<>();
      Map<String, String> addressOf = new ConcurrentHashMap<>();
      Map<String, Long> answered = new ConcurrentHashMap<>();
      // ingress seen: the client asks the address until it answers (HttpProber, in the client's
      // namespace); answers come back by address
      Map<String, String> serviceOf = new ConcurrentHashMap<>();
      Process prober =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  lab.lan().ns("client"),
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx64m",
                  "-cp",
                  Path.of(
                          HttpProber.class
                              .getProtectionDomain()
                              .getCodeSource()
                              .getLocation()
                              .toURI())
                      .toString(),
                  HttpProber.class.getName())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      Writer toProber = new OutputStreamWriter(prober.getOutputStream(), StandardCharsets.UTF_8);
      Thread answers =
          new Thread(
              () -> {
                try (var lines =
                    new BufferedReader(
                        new InputStreamReader(prober.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = lines.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (f.length == 3 && f[0].equals("answered") && serviceOf.containsKey(f[1])) {
                      answered.putIfAbsent(serviceOf.get(f[1]), Long.parseLong(f[2]));
                    }
                  }
                } catch (IOException e) {
                  // the prober ended
                }
              },
              "prober-answers");
      answers.setDaemon(true);
      answers.start();

      SharedIndexInformer<Service> informer =
          client
              .services()
              .inNamespace(Lab.NAMESPACE)
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Service s) {
                      seen(s);
                    }

                    @Override
                    public void onUpdate(Service old, Service s) {
                      seen(s);
                    }

                    @Override
                    public void onDelete(Service s, boolean unknown) {}

                    private void seen(Service s) {
                      String ip = LoadBalancerServiceIT.firstIngress(s);
                      String name = s.getMetadata().getName();
                      if (ip != null
                          && created.containsKey(name)
                          && ingressed.putIfAbsent(name, System.currentTimeMillis()) == null) {
                        addressOf.put(name, ip);
                        serviceOf.put(ip, name);
                        probe(toProber, ip);
                      }
                    }
                  },
                  0);
      // where the time goes: each Service's VirtualIP on its way to a master
      Stages stages = new Stages();
      Map<String, String> serviceOfVip = new ConcurrentHashMap<>();
      SharedIndexInformer<VirtualIP> vips =
          stages.watch(
              client,
              vip -> true,
              vip -> {
                for (String user : ServiceVirtualIps.services(vip)) {
                  serviceOfVip.putIfAbsent(
                      vip.getMetadata().getName(), user.substring(user.indexOf('/') + 1));
                }
              });
      List<String> names = new ArrayList<>();
      for (int i = 0; i < COUNT; i++) {
        names.add(String.format(Locale.ROOT, "svc-%03d", i));
      }
      String killed = null;
      long killedAt = 0;
      CpuUse cpu = CpuUse.sample();
      Instant wallStart = Instant.now();
      long start = System.nanoTime();
      ExecutorService creating = Executors.newFixedThreadPool(16);
      List<Future<?>> creations = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        creations.add(
            creating.submit(
                () -> {
                  Service s = service(name, backends);
                  created.put(name, System.currentTimeMillis());
                  client.resource(s).create();
                }));
        if (killLeader && i == names.size() / 2) {
          killed = leaseHolder(client);
          killedAt = System.nanoTime();
          kill(lab, killed);
        }
      }
      for (Future<?> f : creations) {
        f.get(60, TimeUnit.SECONDS);
      }
      creating.shutdown();
      double applying = (System.nanoTime() - start) / 1e9;
      String newLeader = null;
      double newLeaderAfter = 0;
      if (killLeader) {
        String gone = killed;
        newLeader =
            await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> leaseHolder(client), h -> h != null && !h.equals(gone));
        newLeaderAfter = (System.nanoTime() - killedAt) / 1e9;
      }
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> answered.keySet().containsAll(names));
      CpuUse used = CpuUse.sample().minus(cpu);
      Duration wall = Duration.between(wallStart, Instant.now());
      prober.destroy();
      prober.waitFor(10, TimeUnit.SECONDS);
      informer.close();
      vips.close();
      Map<String, Instant> vipCreated = new TreeMap<>();
      serviceOfVip.forEach(
          (vip, svc) -> {
            Long at = created.get(svc);
            if (at != null) {
              vipCreated.put(vip, Instant.ofEpochMilli(at));
            }
          });
      long rss = 0;
      for (long pid : lab.processes("operator.jar")) {
        rss = Math.max(rss, ScaleBenchmark.rssKiB(pid));
      }

      // correctness: one VirtualIP per Service, each address once, what the ingress says; and a
      // resync later nothing moved or was recreated
      Map<String, String> vipAddress = vipAddresses(client, names);
      Map<String, String> uids = vipUids(client, names);
      assertThat(vipAddress).hasSize(names.size());
      assertThat(new HashSet<>(vipAddress.values())).as("no address twice").hasSize(names.size());
      assertThat(new TreeMap<>(addressOf)).isEqualTo(vipAddress);
      Thread.sleep(15_000);
      assertThat(vipAddresses(client, names)).as("a resync later").isEqualTo(vipAddress);
      assertThat(vipUids(client, names)).as("no VirtualIP recreated").isEqualTo(uids);

      double[] toIngress = latencies(names, created, ingressed);
      double[] toAnswer = latencies(names, created, answered);
      String md =
          String.format(
              Locale.ROOT,
              """
              # %d LoadBalancer Services created at once%s

              Generated by `benchmarks/run ServiceScaleBenchmark` on %s, %d cores: the lab's real \
              cluster (kube-apiserver %s, 3 nodes with kubelets and kube-proxy, the chart's two \
              operator replicas), the agents running (a warm-up Service first). One pool \
              (192.0.2.20-239 on eth0, advertisement interval %s); every Service of class \
              `vrrp.dev/virtual-ip` in front of the operator's pods (port 80 to their /healthz), \
              created by 16 threads. Ingress = creation request sent to \
              `status.loadBalancer.ingress` seen by a watch; answer = to the client's first HTTP \
              200 through the address (one JVM in the client's namespace asks each address \
              every 50 ms, 0.3 s connect timeout, from the moment its ingress is seen).

              | Services | creating took | | p50 | p90 | p99 | max |
              |---|---|---|---|---|---|---|
              | %d | %.1f s | ingress | %.2f s | %.2f s | %.2f s | %.2f s |
              | | | client answer | %.2f s | %.2f s | %.2f s | %.2f s |

              Operator memory (the larger replica's RSS at the end): %.1f MiB.

              %s
              Where the time goes: each stage's time after its Service's creation request, as a \
              watch saw it.

              %s
              Updates of the Services' VirtualIPs the watch saw until the last answer, by what \
              changed:

              %s
              %s
              Checked at the end: %d VirtualIPs for %d Services, %d distinct addresses, each \
              Service's ingress its VirtualIP's address; 15 s later (a resync) every address and \
              VirtualIP uid the same.
              """,
              COUNT,
              killLeader ? ", the leader killed halfway" : "",
              Instant.now(),
              Runtime.getRuntime().availableProcessors(),
              ApiServer.VERSION,
              INTERVAL,
              COUNT,
              applying,
              Stages.percentile(toIngress, 0.5),
              Stages.percentile(toIngress, 0.9),
              Stages.percentile(toIngress, 0.99),
              toIngress[toIngress.length - 1],
              Stages.percentile(toAnswer, 0.5),
              Stages.percentile(toAnswer, 0.9),
              Stages.percentile(toAnswer, 0.99),
              toAnswer[toAnswer.length - 1],
              rss / 1024.0,
              killLeader
                  ? String.format(
                      Locale.ROOT,
                      "The leader (%s) was killed (SIGKILL, no Lease release) after the %dth"
                          + " creation request; %s held the Lease %.1f s later. Services created"
                          + " before / after the kill: ingress p99 %.2f s / %.2f s.%n",
                      killed,
                      names.size() / 2 + 1,
                      newLeader,
                      newLeaderAfter,
                      Stages.percentile(
                          latencies(names.subList(0, names.size() / 2), created, ingressed), 0.99),
                      Stages.percentile(
                          latencies(
                              names.subList(names.size() / 2, names.size()), created, ingressed),
                          0.99))
                  : "",
              stages.table(vipCreated),
              stages.writes(vipCreated.size()),
              used.table(wall, "from the first creation until the last answer"),
              vipAddress.size(),
              names.size(),
              new HashSet<>(vipAddress.values()).size());
      Path out = Path.of("..", "benchmarks", "results", resultFile);
      Files.createDirectories(out.getParent());
      Files.writeString(out, md);
      System.out.println(md);
    }
  }

  private static void probe(Writer toProber, String address) {
    synchronized (toProber) {
      try {
        toProber.write("probe " + address + "\n");
        toProber.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static Service service(String name, Map<String, String> backends) {
    return LoadBalancerServiceIT.service(name, backends)
        .editMetadata()
        .addToAnnotations(LoadBalancers.POOL_ANNOTATION, POOL)
        .endMetadata()
        .build();
  }

  private static double[] latencies(
      List<String> names, Map<String, Long> from, Map<String, Long> to) {
    return names.stream()
        .filter(n -> from.containsKey(n) && to.containsKey(n))
        .mapToDouble(n -> (to.get(n) - from.get(n)) / 1e3)
        .sorted()
        .toArray();
  }

  /** Service name → its VirtualIP's address; fails when a Service has two. */
  private static Map<String, String> vipAddresses(KubernetesClient client, List<String> names) {
    Map<String, String> out = new TreeMap<>();
    for (VirtualIP vip : client.resources(VirtualIP.class).list().getItems()) {
      for (String user : ServiceVirtualIps.services(vip)) {
        String name = user.substring(user.indexOf('/') + 1);
        if (names.contains(name)) {
          assertThat(out.put(name, vip.getSpec().getAddresses().get(0)))
              .as("%s has one VirtualIP", name)
              .isNull();
        }
      }
    }
    return out;
  }

  private static Map<String, String> vipUids(KubernetesClient client, List<String> names) {
    Map<String, String> out = new TreeMap<>();
    for (VirtualIP vip : client.resources(VirtualIP.class).list().getItems()) {
      if (ServiceVirtualIps.services(vip).stream()
          .anyMatch(u -> names.contains(u.substring(u.indexOf('/') + 1)))) {
        out.put(vip.getMetadata().getName(), vip.getMetadata().getUid());
      }
    }
    return out;
  }

  private static String leaseHolder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace(Lab.NAMESPACE).withName("vrrp-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** SIGKILL to the operator process of the pod {@code podName} (its HOSTNAME). */
  private static void kill(Lab lab, String podName) throws Exception {
    for (long pid : lab.processes("operator.jar")) {
      String environ =
          new String(
              Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")),
              StandardCharsets.UTF_8);
      if (List.of(environ.split("\0")).contains("HOSTNAME=" + podName)) {
        new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start().waitFor();
        return;
      }
    }
    throw new IllegalStateException("no operator process of pod " + podName);
  }
}
