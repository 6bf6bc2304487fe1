package dev.vrrp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.lab.Agents;
import dev.vrrp.agent.lab.ApiRelay;
import dev.vrrp.agent.lab.ApiServer;
import dev.vrrp.agent.lab.Netns;
import dev.vrrp.agent.lab.Segment;
import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.FileInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product on one machine: a real kube-apiserver, the operator, three namespace "nodes"
 * each running {@code node-agent kubernetes} exactly as the rendered DaemonSet specifies (command
 * and environment, with the downward API filled in), and a client. The operator and the agents
 * reach the API server only through a relay, so cutting it is an API server outage for all.
 */
@Tag("integration")
class EndToEndIT {
  static final String NAMESPACE = "vrrp-system";
  static final String VIP = "192.0.2.100";
  static final Path CRD = Path.of("..", "crds", "virtualips.vrrp.dev-v1.yml");

  @TempDir Path dir;

  @Test
  void failoverIsVisibleInStatusAndSurvivesAnApiServerOutage() throws Exception {
    try (ApiServer api = new ApiServer(); KubernetesClient client = api.client(); Segment lan = new Segment("ee");
        LogsOnFailure logs = new LogsOnFailure(dir)) {
      installCrd(client);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
          .build()).create();
      Path kubeconfig = api.writeKubeconfig(dir);
      lan.host("ctl");
      lan.host("client", "192.0.2.50/24");
      try (ApiRelay relay = new ApiRelay(lan, api.port(), dir)) {
        relay.connect("ctl");
        Process operator = startOperator(lan, kubeconfig);
        List<String> nodes = List.of("n1", "n2", "n3");
        for (int i = 0; i < nodes.size(); i++) {
          String node = nodes.get(i);
          lan.host(node, "192.0.2.1" + (i + 1) + "/24");
          client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
              .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.0.2.1" + (i + 1)).endAddress()
              .endStatus().build()).create();
          relay.connect(node);
        }
        // The operator renders the agent DaemonSet once a VirtualIP exists; then the "kubelet" (this
        // test) starts one agent per node with the DaemonSet's command and environment.
        VirtualIP first = vip("first");
        first.getSpec().setAddresses(List.of("192.0.2.99/24"));
        client.resource(first).create();
        DaemonSet ds = await().atMost(Duration.ofSeconds(60)).until(
            () -> client.apps().daemonSets().inNamespace(NAMESPACE).withName("vrrp-agent").get(), d -> d != null);
        Map<String, Process> agents = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
          agents.put(nodes.get(i), startAgentAsTheDaemonSetSays(lan, ds, nodes.get(i), "192.0.2.1" + (i + 1),
              kubeconfig));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> masterOf(client, "first") != null);

        // With the agents running: apply a VirtualIP and time it until status.master is right.
        long applied = System.nanoTime();
        client.resource(vip("web")).create();
        String master = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .until(() -> masterOf(client, "web"), m -> m != null && m.equals(highestPriority(client, "web")));
        double seconds = (System.nanoTime() - applied) / 1e9;
        System.out.printf("e2e: status.master=%s %.2f s after the VirtualIP was applied%n", master, seconds);
        assertThat(seconds).as("status.master names the highest-priority node within 5 s").isLessThan(5.0);
        assertThat(lan.holds(master, VIP)).isTrue();
        assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", VIP).exit()).isZero();

        // The master's node dies.
        lan.link(master, false);
        agents.get(master).destroyForcibly();
        String next = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
            .until(() -> masterOf(client, "web"), m -> m != null && !m.equals(master));
        assertThat(lan.holds(next, VIP)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inAnyNamespace().list().getItems()
            .stream().anyMatch(e -> "web".equals(e.getInvolvedObject().getName())
                && e.getMessage() != null && e.getMessage().contains(next)));
        await().atMost(Duration.ofSeconds(5)).until(
            () -> Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", VIP).exit() == 0);

        // The API server is unreachable for 60 s: the VIP stays where it is and reachable.
        relay.cut();
        for (int s = 0; s < 60; s += 5) {
          assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", VIP).exit()).as("after %d s", s).isZero();
          assertThat(lan.holds(next, VIP)).isTrue();
          Thread.sleep(5000);
        }
        relay.restore();
        Instant restored = Instant.now();
        // An operator that lost its Lease during the outage exits; its Deployment would restart it.
        if (!operator.isAlive()) {
          startOperator(lan, kubeconfig);
        }
        try {
          await().atMost(Duration.ofSeconds(120)).until(() -> next.equals(masterOf(client, "web"))
              && readyCondition(client, "web") && client.resources(VirtualIP.class).withName("web").get().getStatus()
                  .getNodes().stream().filter(n -> n.getName().equals(next))
                  .anyMatch(n -> Instant.parse(n.getHeartbeatTime()).isAfter(restored)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          System.out.println("restored at " + restored + "; status now:\n"
              + io.fabric8.kubernetes.client.utils.Serialization.asYaml(
                  client.resources(VirtualIP.class).withName("web").get().getStatus()));
          throw e;
        }
        logs.passed();
      }
    }
  }

  static void installCrd(KubernetesClient client) throws Exception {
    try (FileInputStream in = new FileInputStream(CRD.toFile())) {
      var crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.resource(crd).serverSideApply();
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
              .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 30, TimeUnit.SECONDS);
    }
  }

  Process startOperator(Segment lan, Path kubeconfig) throws Exception {
    return startOperator(lan, kubeconfig, Map.of());
  }

  Process startOperator(Segment lan, Path kubeconfig, Map<String, String> extraEnv) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("OPERATOR_NAMESPACE", NAMESPACE);
    // The chart's container: 512Mi limit, heap at 75% of it (MaxRAM stands in for the cgroup limit).
    return lan.start("ctl", List.of(java.toString(), "-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75.0",
        "-XX:+ExitOnOutOfMemoryError", "-jar", Agents.built("operator", "operator.jar").toString()),
        env, dir.resolve("operator.log"));
  }

  /** The DaemonSet's container command and environment, with what the kubelet would fill in. */
  Process startAgentAsTheDaemonSetSays(Segment lan, DaemonSet ds, String node, String hostIp, Path kubeconfig)
      throws Exception {
    Container container = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> argv = new ArrayList<>();
    if (container.getCommand() != null) {
      argv.addAll(container.getCommand());
    }
    if (container.getArgs() != null) {
      argv.addAll(container.getArgs());
    }
    List<String> local = new ArrayList<>();
    for (String arg : argv) {
      if (arg.equals("java")) {
        local.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      } else if (arg.endsWith("node-agent.jar")) {
        local.add(Agents.jar().toString());
      } else {
        local.add(arg);
      }
    }
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), expand(var.getValue(), env));
      } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
        String field = var.getValueFrom().getFieldRef().getFieldPath();
        env.put(var.getName(), switch (field) {
          case "spec.nodeName" -> node;
          case "status.hostIP", "status.podIP" -> hostIp;
          default -> throw new IllegalStateException("unexpected downward API field " + field);
        });
      }
    }
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("HEARTBEAT", env.getOrDefault("HEARTBEAT", "10s"));
    return lan.start(node, local, env, dir.resolve(node + ".log"));
  }

  /** The kubelet's $(VAR) expansion: references to variables defined earlier in the list. */
  static String expand(String value, Map<String, String> earlier) {
    String out = value;
    for (Map.Entry<String, String> e : earlier.entrySet()) {
      out = out.replace("$(" + e.getKey() + ")", e.getValue());
    }
    return out;
  }

  static VirtualIP vip(String name) {
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name);
    vip.setSpec(new VirtualIPSpec());
    vip.getSpec().setAddresses(List.of(VIP + "/24"));
    vip.getSpec().setInterfaceName("eth0");
    vip.getSpec().setAdvertisementInterval("100ms");
    return vip;
  }

  static String masterOf(KubernetesClient client, String name) {
    VirtualIP vip = client.resources(VirtualIP.class).withName(name).get();
    return vip == null || vip.getStatus() == null ? null : vip.getStatus().getMaster();
  }

  static String highestPriority(KubernetesClient client, String name) {
    VirtualIP vip = client.resources(VirtualIP.class).withName(name).get();
    return vip.getStatus().getPriorities().stream().max(Comparator.comparing(NodePriority::getPriority))
        .map(NodePriority::getNode).orElse(null);
  }

  static boolean readyCondition(KubernetesClient client, String name) {
    VirtualIP vip = client.resources(VirtualIP.class).withName(name).get();
    return vip.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
