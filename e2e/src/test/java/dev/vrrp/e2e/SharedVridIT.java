package dev.vrrp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.lab.Lab;
import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.Segment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * VirtualIPs sharing one VRID once the operator's VRIDs are used up (here: a range of one VRID). A
 * VirtualIP joining or leaving the shared instance changes its address list live: the VirtualIP
 * already there keeps its master and its address on the wire the whole time.
 */
@ExtendWith(LogsOnFailure.class)
@Tag("integration")
class SharedVridIT {
  private static final String FIRST = "192.0.2.100";
  private static final String SECOND = "192.0.2.101";

  @TempDir Path dir;

  @Test
  void joiningAndLeavingASharedVridNeverMovesTheOtherVirtualIp() throws Exception {
    Lab.Settings settings =
        Lab.Settings.defaults(dir, EndToEndIT.prefix("sv"), EndToEndIT.REPO)
            .withChartValues(Map.of("operator.virtualRouterIds", "10"));
    try (Lab lab = Lab.start(settings, System.out::println)) {
      KubernetesClient client = lab.admin();
      Segment lan = lab.lan();
      client.resource(vip("first", FIRST)).create();
      // the planned master: agents start at slightly different moments, so a lower-priority node
      // may
      // be master for a moment before the highest one preempts it
      String master =
          await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () -> EndToEndIT.masterOf(client, "first"),
                  m ->
                      m != null
                          && m.equals(EndToEndIT.highestPriority(client, "first"))
                          && lan.holds(m, FIRST));
      long transitionsBefore = masterEntry(client, "first", master).getTransitions();
      assertThat(get(client, "first").getStatus().getVirtualRouterId()).isEqualTo(10);

      // Watch the wire while the second VirtualIP joins VRID 10 and later leaves it.
      List<Long> lost = new CopyOnWriteArrayList<>();
      AtomicBoolean watching = new AtomicBoolean(true);
      Thread watcher =
          new Thread(
              () -> {
                while (watching.get()) {
                  if (!lan.holds(master, FIRST)) {
                    lost.add(System.nanoTime());
                  }
                }
              });
      watcher.start();
      long deleting = Long.MAX_VALUE;
      try {
        client.resource(vip("second", SECOND)).create();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    master.equals(EndToEndIT.masterOf(client, "second"))
                        && lan.holds(master, SECOND));
        assertThat(get(client, "second").getStatus().getVirtualRouterId())
            .as("shares VRID 10")
            .isEqualTo(10);
        assertThat(get(client, "second").getStatus().getConditions())
            .anyMatch(
                c ->
                    c.getType().equals("Conflict")
                        && c.getMessage() != null
                        && c.getMessage().contains("first"));
        for (String node : List.of("node-a", "node-b", "node-c")) {
          if (!node.equals(master)) {
            assertThat(lan.holds(node, SECOND)).as("only the master holds it: %s", node).isFalse();
          }
        }

        deleting = System.nanoTime();
        client.resources(VirtualIP.class).withName("first").delete();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> get(client, "first") == null && !lan.holds(master, FIRST));
      } finally {
        watching.set(false);
        watcher.join();
      }
      // the address went only when its VirtualIP was deleted, never while the other one joined
      long deleted = deleting;
      assertThat(lost.stream().filter(at -> at < deleted))
          .as("node %s without %s before its deletion", master, FIRST)
          .isEmpty();
      assertThat(lan.holds(master, SECOND)).isTrue();
      assertThat(EndToEndIT.masterOf(client, "second")).isEqualTo(master);
      assertThat(masterEntry(client, "second", master).getTransitions())
          .as("the shared instance never changed state: no failover")
          .isEqualTo(transitionsBefore);
    }
  }

  private static VirtualIP vip(String name, String address) {
    VirtualIP vip = EndToEndIT.vip(name);
    vip.getSpec().setAddresses(List.of(address + "/24"));
    return vip;
  }

  private static VirtualIP get(KubernetesClient client, String name) {
    return client.resources(VirtualIP.class).withName(name).get();
  }

  private static NodeStatus masterEntry(KubernetesClient client, String name, String node) {
    return get(client, name).getStatus().getNodes().stream()
        .filter(n -> n.getName().equals(node))
        .findFirst()
        .orElseThrow();
  }
}
