package dev.vrrp.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.lab.LogsOnFailure;
import dev.vrrp.lab.NodeCgroup;
import dev.vrrp.lab.OciImages;
import dev.vrrp.lab.RealCluster;
import dev.vrrp.lab.Segment;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster on this machine: three kubelets on containerd come up Ready, run a hostNetwork pod
 * of the agent's image (built here, imported, never pulled) with only NET_ADMIN and NET_RAW, and a
 * pod on the pod network that reaches the API server through the {@code kubernetes} Service
 * (kube-proxy, nftables). Afterwards nothing of the nodes is left: no process, no cgroup.
 */
@Tag("integration")
@ExtendWith(LogsOnFailure.class)
class RealClusterIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void threeNodesRunPodsOfImagesBuiltHereAndLeaveNothingBehind() throws Exception {
    OciImages images = OciImages.of(REPO);
    String agentImage = images.names(OciImages.NODE_AGENT).get(0);
    List<RealCluster.NodeSpec> nodes =
        List.of(
            new RealCluster.NodeSpec("node-a", "192.0.2.11", Map.of("lab/role", "a")),
            new RealCluster.NodeSpec("node-b", "192.0.2.12", Map.of()),
            new RealCluster.NodeSpec("node-c", "192.0.2.13", Map.of()));
    String prefix = "rc" + ProcessHandle.current().pid() % 100000;
    List<String> cgroups;
    try (Segment lan = Segment.named(prefix)) {
      nodes.forEach(n -> lan.host(n.name(), n.ipv4() + "/24"));
      try (RealCluster cluster =
          RealCluster.start(lan, "192.0.2.2", "24", nodes, images, dir, RealClusterIT::say)) {
        KubernetesClient client = cluster.admin();
        List<Node> ready = client.nodes().list().getItems();
        assertThat(ready)
            .extracting(n -> n.getMetadata().getName())
            .containsExactly("node-a", "node-b", "node-c");
        assertThat(ready)
            .allSatisfy(
                n ->
                    assertThat(n.getStatus().getNodeInfo().getContainerRuntimeVersion())
                        .startsWith("containerd://"));
        assertThat(ready.get(0).getMetadata().getLabels()).containsEntry("lab/role", "a");

        client.pods().inNamespace("default").resource(hostNetworkPod(agentImage)).create();
        client.pods().inNamespace("default").resource(serviceClientPod(agentImage)).create();
        for (String pod : List.of("host-network", "service-client")) {
          Pod done =
              await()
                  .atMost(Duration.ofSeconds(120))
                  .until(
                      () -> client.pods().inNamespace("default").withName(pod).get(),
                      p -> List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()));
          String log = client.pods().inNamespace("default").withName(pod).getLog();
          say(pod + ": " + done.getStatus().getPhase() + "\n" + log);
          assertThat(done.getStatus().getPhase())
              .as(pod + " (log: " + log + ")")
              .isEqualTo("Succeeded");
          if (pod.equals("host-network")) {
            assertThat(log).as("the pod sees the node's interface").contains("192.0.2.12/24");
          }
        }
        say("stopping the cluster");
        cgroups = cluster.nodeNames().stream().map(n -> prefix + "-" + n).toList();
        assertThat(new NodeCgroup(cgroups.get(1)).pids()).isNotEmpty();
      }
      say("stopped");
      for (String cgroup : cgroups) {
        assertThat(new NodeCgroup(cgroup).pids()).as(cgroup).isEmpty();
        assertThat(Files.exists(Path.of("/sys/fs/cgroup/pids", cgroup))).as(cgroup).isFalse();
      }
    }
  }

  private static final long STARTED = System.nanoTime();

  private static void say(String message) {
    System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, message);
  }

  /** On node-b, with the agent's capabilities only: prints the node's addresses. */
  private static Pod hostNetworkPod(String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("host-network")
        .endMetadata()
        .withNewSpec()
        .withHostNetwork(true)
        .withNodeName("node-b")
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("ip")
        .withImage(image)
        .withImagePullPolicy("Never")
        .withCommand("ip", "-br", "address")
        .withNewSecurityContext()
        .withNewCapabilities()
        .withDrop("ALL")
        .withAdd("NET_ADMIN", "NET_RAW")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .endSpec()
        .build();
  }

  /** On node-c's pod network: a TCP connection to the kubernetes Service's address. */
  private static Pod serviceClientPod(String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("service-client")
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-c")
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("connect")
        .withImage(image)
        .withImagePullPolicy("Never")
        .withCommand(
            "bash",
            "-c",
            "ip -br address && timeout 10 bash -c 'exec 3<>/dev/tcp/$KUBERNETES_SERVICE_HOST/"
                + "$KUBERNETES_SERVICE_PORT' && echo connected to $KUBERNETES_SERVICE_HOST")
        .endContainer()
        .endSpec()
        .build();
  }
}
