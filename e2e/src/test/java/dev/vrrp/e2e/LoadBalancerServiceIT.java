package dev.vrrp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.api.v1alpha1.VirtualIPPoolSpec;
import dev.vrrp.lab.Lab;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LoadBalancer Service in the lab, as a user runs one: a pool, a Service of our class in front of
 * a Deployment (the operator's own pods, whose /healthz answers HTTP), the client reaching the
 * Service's address through VRRP on a node and kube-proxy there, before and after that node dies.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class LoadBalancerServiceIT {
  static final String POOL = "lab-lb";

  @TempDir Path dir;

  @Test
  void theClientReachesTheServiceBeforeAndAfterItsNodeFails() throws Exception {
    try (Lab lab = EndToEndIT.startLab(dir, "lb")) {
      KubernetesClient client = lab.admin();
      Segment lan = lab.lan();
      Map<String, String> backends = operatorPods(client);
      // the address's preferred node runs no backend: when it dies, every endpoint lives on
      List<String> backendNodes = awaitBackends(client, backends);
      List<String> nodes = lab.settings().nodes().stream().map(Lab.Node::name).toList();
      String preferred =
          nodes.stream().filter(n -> !backendNodes.contains(n)).findFirst().orElseThrow();
      List<String> others = nodes.stream().filter(n -> !n.equals(preferred)).toList();

      createPool(client, preferred);
      long created = System.nanoTime();
      createService(client, backends, "Cluster");
      String address =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> ingress(client), a -> a != null);
      double toIngress = (System.nanoTime() - created) / 1e9;
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> answers(lan, address));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        diagnose(lab, client, address);
        throw e;
      }
      double toAnswer = (System.nanoTime() - created) / 1e9;
      System.out.printf(
          "e2e-lb: %s got %s: ingress after %.2f s, the client's first answer after %.2f s (the"
              + " first VirtualIP: the agents' DaemonSet starts with it)%n",
          "operator-lb", address, toIngress, toAnswer);
      assertThat(address).startsWith("192.0.2.20");
      assertThat(lan.holds(preferred, address)).as("the pool's priority 250 node").isTrue();

      // A new VirtualIP's backups start once the planned master has reported (they hold back for
      // it), a second or two after the ingress: fail the node only when every node reports, so
      // what is measured is a failover, not a startup.
      String vipName = "lb-" + address.replace('.', '-');
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                var vip = client.resources(VirtualIP.class).withName(vipName).get();
                return vip != null
                    && vip.getStatus() != null
                    && (nodes.size() + "/" + nodes.size()).equals(vip.getStatus().getReady());
              });
      System.out.printf(
          "e2e-lb: every node reports on %s %.2f s after the Service's creation%n",
          vipName, (System.nanoTime() - created) / 1e9);

      // the node holding the address dies: another takes it, kube-proxy there forwards
      long failed = System.nanoTime();
      CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> lab.fail(preferred));
      double onTheWire = EndToEndIT.awaitHeldElsewhere(lab, preferred, address, failed);
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> answers(lan, address));
      double answeredAgain = (System.nanoTime() - failed) / 1e9;
      failing.get();
      System.out.printf(
          "e2e-lb: %s failed: another node held %s after %.2f s; the client got an answer again"
              + " %.2f s after the failure (requests with a 0.3 s connect timeout, every 50 ms)%n",
          preferred, address, onTheWire, answeredAgain);
      assertThat(others.stream().filter(n -> lan.holds(n, address)).count())
          .as("exactly one other node holds it")
          .isEqualTo(1);
      assertThat(ingress(client)).as("the ingress stays").isEqualTo(address);
    }
  }

  @Test
  void withTrafficPolicyLocalOnlyNodesWithAPodHoldTheAddressAndItMovesWithThePod()
      throws Exception {
    try (Lab lab = EndToEndIT.startLab(dir, "lbl")) {
      KubernetesClient client = lab.admin();
      Segment lan = lab.lan();
      Map<String, String> backends = operatorPods(client);
      List<String> backendNodes = awaitBackends(client, backends);
      List<String> nodes = lab.settings().nodes().stream().map(Lab.Node::name).toList();
      // the pool prefers the node without a pod: with policy Local it must not get the address
      String bare = nodes.stream().filter(n -> !backendNodes.contains(n)).findFirst().orElseThrow();
      createPool(client, bare);
      long created = System.nanoTime();
      createService(client, backends, LoadBalancers.LOCAL_TRAFFIC_POLICY);
      String address =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> ingress(client), a -> a != null);
      String vipName = "lb-" + address.replace('.', '-');
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> answers(lan, address));
      System.out.printf(
          "e2e-lb-local: %s on %s, the client's first answer %.2f s after the Service's"
              + " creation%n",
          address, backendNodes, (System.nanoTime() - created) / 1e9);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> vip(client, vipName).getSpec().getNodeNames(), backendNodes::equals);
      String holder = EndToEndIT.holders(lab, address).get(0);
      assertThat(EndToEndIT.holders(lab, address)).containsExactly(holder);
      assertThat(backendNodes).contains(holder);
      // both nodes with a pod report, so the move below is a handover, not a startup
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> "2/2".equals(vip(client, vipName).getStatus().getReady()));

      // The holder's pod moves: its node is cordoned and the pod deleted; the Deployment's new
      // pod lands on the bare node (the operator's pods prefer distinct nodes).
      try (Sampler sampler = new Sampler(lab, client, vipName, address)) {
        client
            .nodes()
            .withName(holder)
            .edit(
                n -> {
                  n.getSpec().setUnschedulable(true);
                  return n;
                });
        Pod pod =
            client.pods().inNamespace(Lab.NAMESPACE).withLabels(backends).list().getItems().stream()
                .filter(p -> holder.equals(p.getSpec().getNodeName()))
                .findFirst()
                .orElseThrow();
        long moved = System.nanoTime();
        client.resource(pod).delete();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> EndToEndIT.holders(lab, address), h -> h.size() == 1 && !h.contains(holder));
        double handedOver = (System.nanoTime() - moved) / 1e9;
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> answers(lan, address));
        double answered = (System.nanoTime() - moved) / 1e9;
        String next = EndToEndIT.holders(lab, address).get(0);
        // the new pod is ready on the bare node: it joins and, priority 250, takes the address
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> EndToEndIT.holders(lab, address), h -> h.equals(List.of(bare)));
        double onBare = (System.nanoTime() - moved) / 1e9;
        assertThat(readyBackendNodes(client, backends)).contains(bare);
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> answers(lan, address));
        System.out.printf(
            "e2e-lb-local: the pod on %s deleted: %s held %s after %.2f s, the client got an"
                + " answer after %.2f s; the new pod's node %s held it after %.2f s%n",
            holder, next, address, handedOver, answered, bare, onBare);
        sampler.close();
        System.out.printf(
            "e2e-lb-local: holders seen (each change, ms since the sampler started; a look every"
                + " %d ms after the last, %d looks): %s%n",
            Sampler.PERIOD_MS, sampler.samples(), sampler.sequence());
        assertThat(sampler.outsideTheNodes())
            .as("a sample where a node held the address without being in spec.nodeNames")
            .isEmpty();
      }
      assertThat(vip(client, vipName).getSpec().getNodeNames())
          .isEqualTo(readyBackendNodes(client, backends));
      // status follows: the new holder is master; a node that left says RELEASED
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> vip(client, vipName),
              v ->
                  bare.equals(v.getStatus().getMaster())
                      && v.getStatus().getNodes().stream()
                          .allMatch(
                              e ->
                                  v.getSpec().getNodeNames().contains(e.getName())
                                      || "RELEASED".equals(e.getState())));
    }
  }

  private static VirtualIP vip(KubernetesClient client, String name) {
    return client.resources(VirtualIP.class).withName(name).get();
  }

  /**
   * Looks every {@link #PERIOD_MS} at which nodes hold the address and which nodes the VirtualIP
   * lists (read before and after the look): a node that holds it must be in either list, or be the
   * master the last look saw (it resigns once dropped).
   */
  private static final class Sampler implements AutoCloseable {
    static final int PERIOD_MS = 50;
    private final List<String> sequence = new CopyOnWriteArrayList<>();
    private final List<String> outside = new CopyOnWriteArrayList<>();
    private final AtomicInteger samples = new AtomicInteger();
    private volatile boolean running = true;
    private final Thread thread;

    Sampler(Lab lab, KubernetesClient client, String vipName, String address) {
      thread =
          new Thread(
              () -> {
                List<String> last = List.of();
                long started = System.nanoTime();
                while (running) {
                  try {
                    List<String> before = vip(client, vipName).getSpec().getNodeNames();
                    List<String> held = EndToEndIT.holders(lab, address);
                    List<String> after = vip(client, vipName).getSpec().getNodeNames();
                    samples.incrementAndGet();
                    for (String node : held) {
                      if (!before.contains(node) && !after.contains(node) && !last.contains(node)) {
                        outside.add(node + " held it, nodeNames " + before + " then " + after);
                      }
                    }
                    String shown = held + "@" + (System.nanoTime() - started) / 1_000_000 + "ms";
                    if (!held.equals(last) || sequence.isEmpty()) {
                      sequence.add(shown);
                    }
                    last = held;
                    Thread.sleep(PERIOD_MS);
                  } catch (InterruptedException e) {
                    return;
                  } catch (RuntimeException e) {
                    sequence.add("(look failed: " + e.getMessage() + ")");
                  }
                }
              },
              "holder-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    List<String> sequence() {
      return sequence;
    }

    List<String> outsideTheNodes() {
      return outside;
    }

    int samples() {
      return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(5000);
    }
  }

  /** The pool, its addresses on eth0, {@code preferred} at priority 250, the others default. */
  private static void createPool(KubernetesClient client, String preferred) {
    VirtualIPPool pool = new VirtualIPPool();
    pool.getMetadata().setName(POOL);
    VirtualIPPoolSpec spec = new VirtualIPPoolSpec();
    spec.setAddresses(new ArrayList<>(List.of("192.0.2.200-192.0.2.209")));
    spec.setInterfaceName("eth0");
    spec.setAdvertisementInterval("100ms");
    NodePriority first = new NodePriority();
    first.setNode(preferred);
    first.setPriority(250);
    spec.setPriorities(new ArrayList<>(List.of(first)));
    pool.setSpec(spec);
    client.resource(pool).create();
  }

  /** The Service of our class in front of the operator's pods (their /healthz), port 80. */
  private static void createService(
      KubernetesClient client, Map<String, String> backends, String trafficPolicy) {
    client
        .resource(
            service("operator-lb", backends)
                .editSpec()
                .withExternalTrafficPolicy(trafficPolicy)
                .endSpec()
                .build())
        .create();
  }

  /** A LoadBalancer Service of our class in the lab's namespace: port 80 to the pods' "http". */
  static ServiceBuilder service(String name, Map<String, String> backends) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(Lab.NAMESPACE)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .withLoadBalancerClass(LoadBalancers.CLASS)
        .withSelector(backends)
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .endSpec();
  }

  /**
   * The labels of the operator's pods: the backends of the tests' Services (their /healthz answers
   * HTTP, and the lab has no other image to run).
   */
  static Map<String, String> operatorPods(KubernetesClient client) {
    Deployment operator =
        client.apps().deployments().inNamespace(Lab.NAMESPACE).withName("vrrp-operator").get();
    return operator.getSpec().getSelector().getMatchLabels();
  }

  /** Waits until both operator pods are ready, on two nodes; returns those nodes. */
  private static List<String> awaitBackends(KubernetesClient client, Map<String, String> backends) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> readyBackendNodes(client, backends),
            n -> n.size() == 2 && !n.get(0).equals(n.get(1)));
  }

  /** The nodes of the pods {@code backends} selects that are ready and not going away. */
  private static List<String> readyBackendNodes(
      KubernetesClient client, Map<String, String> backends) {
    return client.pods().inNamespace(Lab.NAMESPACE).withLabels(backends).list().getItems().stream()
        .filter(EndToEndIT::ready)
        .map(p -> p.getSpec().getNodeName())
        .sorted()
        .toList();
  }

  /** What the path from the client to a backend looks like, when the client gets no answer. */
  private static void diagnose(Lab lab, KubernetesClient client, String address) {
    Segment lan = lab.lan();
    System.out.println("e2e-lb: holders of " + address + ": " + EndToEndIT.holders(lab, address));
    System.out.println("e2e-lb: the client's request: " + request(lan.ns("client"), address, 80));
    client.discovery().v1().endpointSlices().inNamespace(Lab.NAMESPACE).list().getItems().stream()
        .filter(es -> es.getMetadata().getName().startsWith("operator-lb"))
        .forEach(
            es -> {
              System.out.println("e2e-lb: EndpointSlice " + es.getEndpoints());
              for (var endpoint : es.getEndpoints()) {
                for (String pod : endpoint.getAddresses()) {
                  for (String holder : EndToEndIT.holders(lab, address)) {
                    System.out.println(
                        "e2e-lb: from "
                            + holder
                            + " to the pod "
                            + pod
                            + ":8080: "
                            + request(lan.ns(holder), pod, 8080));
                  }
                }
              }
            });
    System.out.println(
        "e2e-lb: ping from the client: "
            + Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", address));
    for (String holder : EndToEndIT.holders(lab, address)) {
      System.out.println(
          "e2e-lb: on "
              + holder
              + ": "
              + Netns.tryIn(
                      lan.ns(holder),
                      "sysctl",
                      "net.ipv4.ip_forward",
                      "net.ipv4.conf.all.rp_filter",
                      "net.ipv4.conf.eth0.rp_filter")
                  .output()
                  .replace('\n', ' ')
              + " "
              + Netns.tryIn(lan.ns(holder), "ip", "-br", "addr").output().replace('\n', ';'));
      Netns.Result all = Netns.tryIn(lan.ns(holder), "nft", "list", "ruleset");
      System.out.println("e2e-lb: the ruleset on " + holder + ":\n" + all.output());
      Netns.Result rules = Netns.tryIn(lan.ns(holder), "nft", "list", "table", "ip", "kube-proxy");
      System.out.println(
          "e2e-lb: kube-proxy's rules on "
              + holder
              + " mentioning "
              + address
              + ": "
              + rules.output().lines().filter(l -> l.contains(address)).toList());
    }
  }

  private static Netns.Result request(String namespace, String address, int port) {
    return Netns.tryIn(
        namespace,
        "sh",
        "-c",
        "printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' | socat -T1 - TCP:"
            + address
            + ":"
            + port
            + ",connect-timeout=0.3");
  }

  /** The first ingress address of the test's Service, or null. */
  private static String ingress(KubernetesClient client) {
    return ingress(client, "operator-lb");
  }

  /** The first ingress address of the Service {@code name} in the lab's namespace, or null. */
  static String ingress(KubernetesClient client, String name) {
    Service s = client.services().inNamespace(Lab.NAMESPACE).withName(name).get();
    return s == null ? null : firstIngress(s);
  }

  static String firstIngress(Service s) {
    if (s.getStatus() == null
        || s.getStatus().getLoadBalancer() == null
        || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
      return null;
    }
    return s.getStatus().getLoadBalancer().getIngress().get(0).getIp();
  }

  /** Whether an HTTP request from the client to the address gets the operator's 200. */
  static boolean answers(Segment lan, String address) {
    Netns.Result r = request(lan.ns("client"), address, 80);
    return r.exit() == 0 && r.output().contains("HTTP/1.1 200");
  }
}
