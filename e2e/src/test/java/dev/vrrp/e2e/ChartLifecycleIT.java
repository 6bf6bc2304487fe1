package dev.vrrp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.lab.Lab;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import dev.vrrp.operator.agents.AgentDaemonSet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's life on the real cluster, with two VirtualIPs served throughout: planned maintenance
 * (cordon, the vrrp.dev/drain taint), a {@code helm upgrade} that rolls the agents node by node,
 * and {@code helm uninstall}. Every planned handover is the priority-0 one: no address is without a
 * holder for half of Master_Down_Interval (3 x 100 ms + skew) or longer.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class ChartLifecycleIT {
  private static final String WEB = "192.0.2.100";
  private static final String DB = "192.0.2.101";

  /**
   * Half of Master_Down_Interval at 100 ms advertisements: only a priority-0 handover is faster.
   */
  private static final double ONE_HANDOVER = 0.175;

  @TempDir Path dir;

  @Test
  void maintenanceRollingUpgradeAndUninstall() throws Exception {
    try (Lab lab = EndToEndIT.startLab(dir, "cl")) {
      KubernetesClient client = lab.admin();
      Segment lan = lab.lan();
      List<String> nodes = lab.settings().nodes().stream().map(Lab.Node::name).toList();
      client.resource(vip("web", WEB)).create();
      client.resource(vip("db", DB)).create();
      String web = EndToEndIT.awaitPlannedMaster(client, "web");
      String db = EndToEndIT.awaitPlannedMaster(client, "db");
      await().atMost(Duration.ofSeconds(10)).until(() -> lan.holds(web, WEB) && lan.holds(db, DB));
      // every node runs both instances (a VirtualIP's backups start once its master reported; a
      // handover in that first moment has no backup to go to)
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> allNodesServe(client, "web") && allNodesServe(client, "db"));

      assertThat(client.namespaces().withName(Lab.NAMESPACE).get().getMetadata().getLabels())
          .as("the operator labelled its namespace for the agents' Pod Security level")
          .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
      assertThat(daemonSet(client).getMetadata().getOwnerReferences())
          .as("the operator's Deployment owns the agents")
          .singleElement()
          .satisfies(o -> assertThat(o.getKind()).isEqualTo("Deployment"));

      // kubectl cordon: the master hands over with priority 0 and stays a backup
      handOver(lab, "web", WEB, web, "kubectl cordon", "{\"spec\":{\"unschedulable\":true}}");
      handBack(lab, "web", WEB, web, "kubectl uncordon", "{\"spec\":{\"unschedulable\":null}}");
      // db too, when it had the same master
      await().atMost(Duration.ofSeconds(10)).until(() -> lan.holds(db, DB));
      // the vrrp.dev/drain taint does the same without cordoning
      handOver(
          lab,
          "db",
          DB,
          db,
          "kubectl taint vrrp.dev/drain",
          "{\"spec\":{\"taints\":[{\"key\":\"vrrp.dev/drain\",\"effect\":\"NoSchedule\"}]}}");
      handBack(lab, "db", DB, db, "taint removed", "{\"spec\":{\"taints\":null}}");

      // helm upgrade with another agent setting: the DaemonSet rolls one node at a time
      long generation = daemonSet(client).getMetadata().getGeneration();
      long started = System.nanoTime();
      Map<String, HolderTimeline.Summary> rolling;
      try (HolderTimeline timeline = HolderTimeline.watch(lan, List.of(WEB, DB), nodes)) {
        lab.upgrade(Map.of("agent.heartbeat", "5s"));
        await()
            .atMost(Duration.ofSeconds(300))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> rolledOut(client, generation, "5s"));
        double rollout = (System.nanoTime() - started) / 1e9;
        // a preemption back to the last restarted node settles within Master_Down_Interval
        Thread.sleep(2000);
        rolling = timeline.stop();
        System.out.printf(
            "e2e: helm upgrade rolled %d agents in %.1f s; per address %s%n",
            nodes.size(), rollout, rolling);
      }
      rolling.forEach(
          (address, summary) ->
              assertThat(summary.longestUnheldSeconds())
                  .as(
                      "%s during the rolling update: without a holder at most one handover",
                      address)
                  .isLessThan(ONE_HANDOVER));

      // helm uninstall: the agents go with the operator and take every address with them
      long uninstalled = System.nanoTime();
      lab.uninstall();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  nodes.stream().allMatch(n -> lan.held(n, List.of(WEB, DB)).isEmpty())
                      && agentPods(client).isEmpty()
                      && daemonSet(client) == null);
      System.out.printf(
          "e2e: helm uninstall: no agent, no DaemonSet, no address held after %.1f s%n",
          (System.nanoTime() - uninstalled) / 1e9);
      assertThat(Netns.tryIn(lan.ns("client"), "ping", "-c1", "-W1", WEB).exit()).isNotZero();
    }
  }

  /** Patches the master's Node; the address moves within one handover, the entry says Draining. */
  private static void handOver(
      Lab lab, String vip, String address, String master, String what, String patch)
      throws Exception {
    KubernetesClient client = lab.admin();
    List<String> others =
        lab.settings().nodes().stream().map(Lab.Node::name).filter(n -> !n.equals(master)).toList();
    HolderGap gap = HolderGap.watch(lab.lan(), address, master, others);
    client.nodes().withName(master).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    double unheld = gap.await(Duration.ofSeconds(30));
    System.out.printf("e2e: %s %s: no node held %s for %.3f s%n", what, master, address, unheld);
    assertThat(unheld).as("%s: a handover with priority 0", what).isLessThan(ONE_HANDOVER);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              NodeStatus entry = entry(client, vip, master);
              return entry != null
                  && "BACKUP".equals(entry.getState())
                  && "Draining".equals(entry.getReason())
                  && !master.equals(EndToEndIT.masterOf(client, vip));
            });
    assertThat(lab.lan().holds(master, address)).as("the drained node stays a backup").isFalse();
  }

  /** Undoes the patch: the planned master preempts again. */
  private static void handBack(
      Lab lab, String vip, String address, String master, String what, String patch) {
    long undone = System.nanoTime();
    lab.admin().nodes().withName(master).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> lab.lan().holds(master, address));
    System.out.printf(
        "e2e: %s %s: it holds %s again after %.2f s%n",
        what, master, address, (System.nanoTime() - undone) / 1e9);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> master.equals(EndToEndIT.masterOf(lab.admin(), vip)));
  }

  private static boolean rolledOut(KubernetesClient client, long before, String heartbeat) {
    DaemonSet ds = daemonSet(client);
    if (ds == null
        || ds.getStatus() == null
        || ds.getMetadata().getGeneration() <= before
        || ds.getStatus().getObservedGeneration() < ds.getMetadata().getGeneration()) {
      return false;
    }
    // the API server leaves out counts that are 0
    int desired = count(ds.getStatus().getDesiredNumberScheduled());
    List<Pod> pods = agentPods(client);
    return desired > 0
        && count(ds.getStatus().getUpdatedNumberScheduled()) == desired
        && count(ds.getStatus().getNumberAvailable()) == desired
        && pods.size() == desired
        && pods.stream()
            .allMatch(
                p ->
                    p.getMetadata().getDeletionTimestamp() == null
                        && p.getSpec().getContainers().get(0).getEnv().stream()
                            .anyMatch(
                                e ->
                                    "HEARTBEAT".equals(e.getName())
                                        && heartbeat.equals(e.getValue())));
  }

  private static boolean allNodesServe(KubernetesClient client, String vip) {
    VirtualIP v = client.resources(VirtualIP.class).withName(vip).get();
    return "3/3".equals(v.getStatus().getReady());
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }

  private static NodeStatus entry(KubernetesClient client, String vip, String node) {
    VirtualIP v = client.resources(VirtualIP.class).withName(vip).get();
    return v.getStatus().getNodes().stream()
        .filter(e -> node.equals(e.getName()))
        .findFirst()
        .orElse(null);
  }

  private static DaemonSet daemonSet(KubernetesClient client) {
    return client
        .apps()
        .daemonSets()
        .inNamespace(Lab.NAMESPACE)
        .withName(AgentDaemonSet.NAME)
        .get();
  }

  private static List<Pod> agentPods(KubernetesClient client) {
    return EndToEndIT.agentPods(client);
  }

  private static VirtualIP vip(String name, String address) {
    VirtualIP vip = EndToEndIT.vip(name);
    vip.getSpec().setAddresses(List.of(address + "/24"));
    return vip;
  }
}
