package dev.vrrp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.agent.lab.Agents;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.lab.ApiRelay;
import dev.vrrp.lab.ApiServer;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node-agent kubernetes} on three namespace "nodes" against a real kube-apiserver. The test
 * plays the operator's part (VRID and priorities in the status) so the agents are tested alone:
 * they run what the status plans, report their own entries, apply an interval change without a
 * failover, keep the VIP through an API outage and release it when the VirtualIP is deleted.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class KubernetesModeIT {
  private static final String VIP = "192.0.2.100";
  private static final Path CRD = Path.of("..", "crds", "virtualips.vrrp.dev-v1.yml");

  @TempDir Path dir;

  @Test
  void agentsRunWhatTheStatusPlansAndReportTheTruth() throws Exception {
    try (ApiServer api = new ApiServer();
        KubernetesClient client = api.client();
        Segment lan = new Segment("vk")) {
      installCrd(client);
      Path kubeconfig = api.writeKubeconfig(dir);
      lan.host("client", "192.0.2.50/24");
      try (ApiRelay relay = new ApiRelay(lan, api.port(), dir)) {
        addNodes(client, lan, relay, 3);
        Process n1 = Agents.startKubernetes(lan, "n1", kubeconfig, dir);
        Agents.startKubernetes(lan, "n2", kubeconfig, dir);
        Process n3 = Agents.startKubernetes(lan, "n3", kubeconfig, dir);

        client.resource(vip("vip-a", "100ms")).create();
        planAsTheOperatorWould(client, "vip-a", 51, Map.of("n1", 250, "n2", 200, "n3", 150));

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    lan.holds("n1", VIP)
                        && states(client, "vip-a")
                            .equals(Map.of("n1", "MASTER", "n2", "BACKUP", "n3", "BACKUP")));
        assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", VIP).exit()).isZero();
        NodeStatus n1Entry = entry(client, "vip-a", "n1").orElseThrow();
        assertThat(n1Entry.getPriority()).isEqualTo(250);
        assertThat(n1Entry.getAddress()).isEqualTo("192.0.2.11");

        // n1 dies: n2 takes over and says so; n1's entry stays as it was (its heartbeat goes
        // stale).
        lan.link("n1", false);
        n1.destroyForcibly();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    lan.holds("n2", VIP)
                        && "MASTER"
                            .equals(
                                entry(client, "vip-a", "n2").map(NodeStatus::getState).orElse("")));

        // A changed interval is applied live: no failover, no transition.
        long transitions = entry(client, "vip-a", "n2").orElseThrow().getTransitions();
        client
            .resources(VirtualIP.class)
            .withName("vip-a")
            .edit(
                v -> {
                  v.getSpec().setAdvertisementInterval("200ms");
                  return v;
                });
        Thread.sleep(3000);
        assertThat(lan.holds("n2", VIP)).isTrue();
        assertThat(lan.holds("n3", VIP)).isFalse();
        assertThat(entry(client, "vip-a", "n2").orElseThrow().getTransitions())
            .isEqualTo(transitions);

        // The API server goes away: VRRP carries on, the VIP stays reachable.
        relay.cut();
        for (int i = 0; i < 15; i++) {
          Thread.sleep(1000);
          assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", VIP).exit())
              .as("second %d", i)
              .isZero();
        }
        assertThat(lan.holds("n2", VIP)).isTrue();
        relay.restore();
        String before = entry(client, "vip-a", "n2").orElseThrow().getHeartbeatTime();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    !before.equals(entry(client, "vip-a", "n2").orElseThrow().getHeartbeatTime()));

        // n3 is stopped (SIGTERM, as the kubelet does): it resigns and its last entry says so.
        n3.destroy();
        assertThat(n3.waitFor(20, TimeUnit.SECONDS)).isTrue();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    "INITIALIZE"
                        .equals(entry(client, "vip-a", "n3").map(NodeStatus::getState).orElse("")));

        // Deleted: every agent releases the address.
        client.resources(VirtualIP.class).withName("vip-a").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> !lan.holds("n2", VIP));
      }
    }
  }

  /**
   * The 3 a.m. case behind the claiming startup: the master's node crashed, a backup took over, and
   * the VirtualIP does not preempt. When the crashed node's agent comes back (it is still planned
   * highest) it must wait as a backup: the address stays where it is, with no transition.
   */
  @Test
  void aRestartedAgentLeavesTheAddressWhereItIsWithoutPreemption() throws Exception {
    try (ApiServer api = new ApiServer();
        KubernetesClient client = api.client();
        Segment lan = new Segment("vn")) {
      installCrd(client);
      Path kubeconfig = api.writeKubeconfig(dir);
      try (ApiRelay relay = new ApiRelay(lan, api.port(), dir)) {
        addNodes(client, lan, relay, 2);
        Process n1 = Agents.startKubernetes(lan, "n1", kubeconfig, dir);
        Agents.startKubernetes(lan, "n2", kubeconfig, dir);
        VirtualIP vip = vip("vip-b", "100ms");
        vip.getSpec().setPreempt(false);
        client.resource(vip).create();
        planAsTheOperatorWould(client, "vip-b", 52, Map.of("n1", 250, "n2", 200));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    lan.holds("n1", VIP)
                        && states(client, "vip-b").equals(Map.of("n1", "MASTER", "n2", "BACKUP")));

        lan.link("n1", false);
        n1.destroyForcibly().waitFor();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    lan.holds("n2", VIP)
                        && "MASTER"
                            .equals(
                                entry(client, "vip-b", "n2").map(NodeStatus::getState).orElse("")));
        long transitions = entry(client, "vip-b", "n2").orElseThrow().getTransitions();

        lan.link("n1", true);
        Agents.startKubernetes(lan, "n1", kubeconfig, dir);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    "BACKUP"
                        .equals(entry(client, "vip-b", "n1").map(NodeStatus::getState).orElse("")));
        Thread.sleep(1500); // many Master_Down_Intervals of 100 ms adverts
        assertThat(lan.holds("n1", VIP)).isFalse();
        assertThat(lan.holds("n2", VIP)).isTrue();
        assertThat(entry(client, "vip-b", "n2").orElseThrow().getTransitions())
            .isEqualTo(transitions);
        assertThat(entry(client, "vip-b", "n1").orElseThrow().getState()).isEqualTo("BACKUP");
      }
    }
  }

  /**
   * Regression (issue 11, finding 2): a VirtualIP naming node n2's InternalIP once removed n2's
   * primary address and its subnet route, while status said MASTER n2. Now no node takes, announces
   * or removes it, every planned node's entry says why, and n2 keeps serving its other VIP. An
   * address a node has that no Node object names is refused by that node's agent on its own.
   */
  @Test
  void aVirtualIpNamingANodesAddressTakesNothingAndEveryNodeSaysWhy() throws Exception {
    try (ApiServer api = new ApiServer();
        KubernetesClient client = api.client();
        Segment lan = new Segment("vs")) {
      installCrd(client);
      Path kubeconfig = api.writeKubeconfig(dir);
      lan.host("client", "192.0.2.50/24");
      try (ApiRelay relay = new ApiRelay(lan, api.port(), dir)) {
        addNodes(client, lan, relay, 3);
        Netns.in(
            lan.ns("n3"),
            "ip",
            "address",
            "add",
            "192.0.2.63/24",
            "dev",
            "eth0"); // no Node names it
        String n2Before = Netns.in(lan.ns("n2"), "ip", "-o", "address", "show", "dev", "eth0");
        String n2Routes = Netns.in(lan.ns("n2"), "ip", "route");
        for (int i = 1; i <= 3; i++) {
          Agents.startKubernetes(lan, "n" + i, kubeconfig, dir);
        }
        client.resource(vip("normal", "100ms")).create();
        planAsTheOperatorWould(client, "normal", 51, Map.of("n2", 250, "n1", 200, "n3", 150));
        VirtualIP steal = vip("steal", "100ms");
        steal.getSpec().setAddresses(List.of("192.0.2.12/24"));
        client.resource(steal).create();
        planAsTheOperatorWould(client, "steal", 52, Map.of("n1", 250, "n2", 200, "n3", 150));
        VirtualIP foreign = vip("foreign", "100ms");
        foreign.getSpec().setAddresses(List.of("192.0.2.63/24"));
        client.resource(foreign).create();
        planAsTheOperatorWould(client, "foreign", 53, Map.of("n3", 250));

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    lan.holds("n2", VIP)
                        && states(client, "steal")
                            .equals(Map.of("n1", "FAULT", "n2", "FAULT", "n3", "FAULT"))
                        && states(client, "foreign").equals(Map.of("n3", "FAULT")));
        for (String node : List.of("n1", "n2", "n3")) {
          assertThat(entry(client, "steal", node).orElseThrow().getMessage())
              .isEqualTo(
                  "spec.addresses: 192.0.2.12 "
                      + "is the InternalIP of node n2; a virtual address must not be a node's own");
        }
        assertThat(entry(client, "foreign", "n3").orElseThrow().getMessage())
            .contains("192.0.2.63 is already on eth0 and was not added by the agent");

        Thread.sleep(2000); // twenty advertisement intervals: nothing may have moved meanwhile
        assertThat(
                Netns.in(lan.ns("n2"), "ip", "-o", "address", "show", "dev", "eth0")
                    .lines()
                    .filter(line -> !line.contains(" " + VIP + "/24 "))
                    .toList())
            .as("n2 keeps its own address (and holds only the VIP of 'normal' besides)")
            .isEqualTo(n2Before.lines().toList());
        assertThat(Netns.in(lan.ns("n2"), "ip", "route")).isEqualTo(n2Routes);
        assertThat(lan.holds("n1", "192.0.2.12")).isFalse();
        assertThat(lan.holds("n3", "192.0.2.12")).isFalse();
        assertThat(lan.holds("n3", "192.0.2.63")).as("n3's own address stays").isTrue();
        assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", VIP).exit()).isZero();
        assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", "192.0.2.12").exit())
            .isZero();
        assertThat(states(client, "normal"))
            .isEqualTo(Map.of("n1", "BACKUP", "n2", "MASTER", "n3", "BACKUP"));
      }
    }
  }

  /**
   * Regression (issue 11, finding 1): on a node without libpcap the agents' executor swallowed the
   * UnsatisfiedLinkError, and the VirtualIP stayed "AwaitingAgents" for ever. Now the node's entry
   * says FAULT and why within a heartbeat, and /readyz fails (the DaemonSet's readiness probe).
   */
  @Test
  void aNodeWithoutLibpcapSaysSoInItsEntryAndIsNotReady() throws Exception {
    try (ApiServer api = new ApiServer();
        KubernetesClient client = api.client();
        Segment lan = new Segment("vl")) {
      installCrd(client);
      Path kubeconfig = api.writeKubeconfig(dir);
      try (ApiRelay relay = new ApiRelay(lan, api.port(), dir)) {
        addNodes(client, lan, relay, 2);
        Agents.startKubernetes(
            lan,
            "n1",
            kubeconfig,
            dir,
            List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so.0.8"));
        Agents.startKubernetes(lan, "n2", kubeconfig, dir);
        client.resource(vip("vip-l", "100ms")).create();
        planAsTheOperatorWould(client, "vip-l", 54, Map.of("n1", 250, "n2", 200));

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    lan.holds("n2", VIP)
                        && states(client, "vip-l").equals(Map.of("n1", "FAULT", "n2", "MASTER")));
        assertThat(entry(client, "vip-l", "n1").orElseThrow().getMessage())
            .startsWith(
                "cannot run: IOException: this node cannot run VRRP: libpcap cannot be loaded")
            .contains("apt-get install libpcap0.8");
        assertThat(
                Netns.tryIn(
                        lan.ns("n1"),
                        "curl",
                        "-s",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code}",
                        "http://127.0.0.1:9477/readyz")
                    .output())
            .isEqualTo("503");
        assertThat(Netns.tryIn(lan.ns("n1"), "curl", "-s", "http://127.0.0.1:9477/readyz").output())
            .contains("libpcap cannot be loaded");
        assertThat(Netns.tryIn(lan.ns("n2"), "curl", "-s", "http://127.0.0.1:9477/readyz").output())
            .isEqualTo("ok\n");
        assertThat(
                Netns.tryIn(
                        lan.ns("n1"),
                        "curl",
                        "-s",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code}",
                        "http://127.0.0.1:9477/healthz")
                    .output())
            .as("alive, only not ready")
            .isEqualTo("200");
      }
    }
  }

  /**
   * An address another host on the segment answers for, and no node held yet: the first master asks
   * before it takes it (ARP probe, 300 ms) and does not; nor does the next one, since no node of
   * the VirtualIP ever held it. Every entry says FAULT, AddressInUse.
   */
  @Test
  void noNodeTakesAnAddressAnotherHostAnswersFor() throws Exception {
    try (ApiServer api = new ApiServer();
        KubernetesClient client = api.client();
        Segment lan = new Segment("vu")) {
      installCrd(client);
      Path kubeconfig = api.writeKubeconfig(dir);
      lan.host("client", "192.0.2.50/24", "192.0.2.64/24");
      try (ApiRelay relay = new ApiRelay(lan, api.port(), dir)) {
        addNodes(client, lan, relay, 2);
        Agents.startKubernetes(lan, "n1", kubeconfig, dir);
        Agents.startKubernetes(lan, "n2", kubeconfig, dir);
        VirtualIP taken = vip("taken", "100ms");
        taken.getSpec().setAddresses(List.of("192.0.2.64/24"));
        client.resource(taken).create();
        planAsTheOperatorWould(client, "taken", 56, Map.of("n1", 250, "n2", 200));

        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> states(client, "taken").equals(Map.of("n1", "FAULT", "n2", "FAULT")));
        for (String node : List.of("n1", "n2")) {
          NodeStatus entry = entry(client, "taken", node).orElseThrow();
          assertThat(entry.getReason()).isEqualTo("AddressInUse");
          assertThat(entry.getMessage()).contains("192.0.2.64 is in use on the segment");
          assertThat(lan.holds(node, "192.0.2.64")).isFalse();
        }
      }
    }
  }

  /**
   * The API server is down and every agent restarts (an OOM kill, a crash: the kubelet restarts the
   * container without the API). Each resumes the plan it kept on its node, so the VIP keeps a
   * master, and the entries are right soon after the API server is back.
   */
  @Test
  void agentsRestartedDuringAnApiOutageResumeTheirSavedPlan() throws Exception {
    try (ApiServer api = new ApiServer();
        KubernetesClient client = api.client();
        Segment lan = new Segment("vp")) {
      installCrd(client);
      Path kubeconfig = api.writeKubeconfig(dir);
      lan.host("client", "192.0.2.50/24");
      try (ApiRelay relay = new ApiRelay(lan, api.port(), dir)) {
        addNodes(client, lan, relay, 2);
        Process n1 = Agents.startKubernetes(lan, "n1", kubeconfig, dir);
        Process n2 = Agents.startKubernetes(lan, "n2", kubeconfig, dir);
        client.resource(vip("vip-p", "100ms")).create();
        planAsTheOperatorWould(client, "vip-p", 55, Map.of("n1", 250, "n2", 200));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    lan.holds("n1", VIP)
                        && states(client, "vip-p").equals(Map.of("n1", "MASTER", "n2", "BACKUP")));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> Files.exists(dir.resolve("state/plan-n1.json")));

        relay.cut();
        n1.destroyForcibly().waitFor();
        n2.destroyForcibly().waitFor();
        Agents.startKubernetes(lan, "n1", kubeconfig, dir);
        Agents.startKubernetes(lan, "n2", kubeconfig, dir);
        // each resumes its saved plan after the informers failed to list for 5 s: one master again
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    lan.holds("n1", VIP)
                        && !lan.holds("n2", VIP)
                        && Files.readString(dir.resolve("n2.log"))
                            .contains("resuming this node's plan"));
        // VRRP runs again, not only a leftover address: n1 advertises as master, n2 listens as
        // backup
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    Netns.tryIn(lan.ns("n1"), "curl", "-s", "http://127.0.0.1:9477/state")
                            .output()
                            .contains("\"state\" : \"MASTER\"")
                        && Netns.tryIn(lan.ns("n2"), "curl", "-s", "http://127.0.0.1:9477/state")
                            .output()
                            .contains("\"state\" : \"BACKUP\""));
        for (int i = 0; i < 5; i++) {
          Thread.sleep(1000);
          assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", VIP).exit())
              .as("second %d", i)
              .isZero();
          assertThat(lan.holds("n2", VIP)).isFalse();
        }

        relay.restore();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    Files.readString(dir.resolve("n1.log")).contains("the informers have listed"));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    "MASTER"
                            .equals(
                                entry(client, "vip-p", "n1").map(NodeStatus::getState).orElse(""))
                        && "BACKUP"
                            .equals(
                                entry(client, "vip-p", "n2").map(NodeStatus::getState).orElse("")));
        assertThat(lan.holds("n1", VIP)).isTrue();
      }
    }
  }

  private static void installCrd(KubernetesClient client) {
    ApiServer.installCrd(client, CRD);
  }

  /**
   * Nodes n1..nN at 192.0.2.11.. on the segment, as Node objects, each with a route to the API
   * server.
   */
  private static void addNodes(KubernetesClient client, Segment lan, ApiRelay relay, int count)
      throws Exception {
    for (int i = 1; i <= count; i++) {
      String node = "n" + i;
      lan.host(node, "192.0.2.1" + i + "/24");
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(node)
                  .endMetadata()
                  .withNewStatus()
                  .addNewAddress()
                  .withType("InternalIP")
                  .withAddress("192.0.2.1" + i)
                  .endAddress()
                  .endStatus()
                  .build())
          .create();
      relay.connect(node);
    }
  }

  private static VirtualIP vip(String name, String interval) {
    VirtualIP vip = new VirtualIP();
    vip.getMetadata().setName(name);
    vip.setSpec(new VirtualIPSpec());
    vip.getSpec().setAddresses(List.of(VIP + "/24"));
    vip.getSpec().setInterfaceName("eth0");
    vip.getSpec().setAdvertisementInterval(interval);
    return vip;
  }

  private static void planAsTheOperatorWould(
      KubernetesClient client, String name, int vrid, Map<String, Integer> priorities) {
    StringBuilder list = new StringBuilder();
    priorities.forEach(
        (node, p) ->
            list.append(list.length() == 0 ? "" : ",")
                .append("{\"node\":\"")
                .append(node)
                .append("\",\"priority\":")
                .append(p)
                .append('}'));
    String apply =
        "{\"apiVersion\":\"vrrp.dev/v1alpha1\",\"kind\":\"VirtualIP\",\"metadata\":{\"name\":\""
            + name
            + "\"},\"status\":{\"virtualRouterId\":"
            + vrid
            + ",\"priorities\":["
            + list
            + "]}}";
    client
        .resources(VirtualIP.class)
        .withName(name)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("test-operator")
                .withForce(true)
                .build(),
            apply);
  }

  private static Optional<NodeStatus> entry(KubernetesClient client, String name, String node) {
    VirtualIP vip = client.resources(VirtualIP.class).withName(name).get();
    if (vip == null || vip.getStatus() == null) {
      return Optional.empty();
    }
    return vip.getStatus().getNodes().stream().filter(n -> node.equals(n.getName())).findFirst();
  }

  private static Map<String, String> states(KubernetesClient client, String name) {
    VirtualIP vip = client.resources(VirtualIP.class).withName(name).get();
    if (vip == null || vip.getStatus() == null) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    vip.getStatus().getNodes().forEach(n -> out.put(n.getName(), n.getState()));
    return out;
  }
}
