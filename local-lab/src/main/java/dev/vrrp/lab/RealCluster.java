package dev.vrrp.lab;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real Kubernetes cluster on this machine: a {@link ControlPlane} host and {@link RealNode}s on
 * one segment, the nodes' pod ranges routed between them (each node is the gateway of its own, as
 * on a flat layer-3 network), the images imported into every node. The caller's segment keeps its
 * other hosts (a client, say).
 */
public final class RealCluster implements AutoCloseable {
  public static final String CONTROL_PLANE = "control-plane";

  /** A node of the cluster: its name, its addresses (the first IPv4 one is its InternalIP). */
  public record NodeSpec(String name, String ipv4, Map<String, String> labels) {}

  private final Segment lan;
  private final ControlPlane plane;
  private final Map<String, RealNode> nodes = new LinkedHashMap<>();
  private final KubernetesClient admin;
  private final Consumer<String> progress;

  private RealCluster(Segment lan, ControlPlane plane, Consumer<String> progress) {
    this.lan = lan;
    this.plane = plane;
    this.admin = plane.client();
    this.progress = progress;
  }

  /**
   * Starts the control plane on host {@link #CONTROL_PLANE} (added to the segment at {@code
   * planeAddress}) and the nodes, which must be hosts of the segment already; returns when every
   * node is Ready and labelled.
   */
  public static RealCluster start(
      Segment lan,
      String planeAddress,
      String prefixLength,
      List<NodeSpec> specs,
      OciImages images,
      Path dir,
      Consumer<String> progress)
      throws IOException, InterruptedException {
    lan.host(CONTROL_PLANE, planeAddress + "/" + prefixLength);
    progress.accept(
        "control plane on "
            + planeAddress
            + ": etcd, kube-apiserver, kube-controller-manager, kube-scheduler "
            + KubernetesVersion.VERSION);
    ControlPlane plane =
        ControlPlane.start(
            lan,
            CONTROL_PLANE,
            planeAddress,
            dir.resolve(CONTROL_PLANE),
            specs.stream().map(NodeSpec::name).toList(),
            progress);
    RealCluster cluster = new RealCluster(lan, plane, progress);
    try {
      cluster.startNodes(specs, images, dir, progress);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void startNodes(
      List<NodeSpec> specs, OciImages images, Path dir, Consumer<String> progress)
      throws IOException, InterruptedException {
    List<RealNode.Spec> real = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      real.add(
          new RealNode.Spec(specs.get(i).name(), specs.get(i).ipv4(), ClusterRanges.podsOf(i)));
    }
    routePodRanges(real);
    for (RealNode.Spec spec : real) {
      RealNode node =
          new RealNode(
              lan, spec, lan.prefix() + "-" + spec.name(), plane, images, dir.resolve(spec.name()));
      nodes.put(spec.name(), node);
      node.start();
    }
    progress.accept(
        "nodes "
            + nodes.keySet()
            + ": containerd, kubelet, kube-proxy (nftables), CNI bridge; importing "
            + images.all().size()
            + " images");
    for (NodeSpec spec : specs) {
      waitUntilReady(spec.name(), 180);
      label(spec);
    }
    progress.accept("nodes Ready: " + nodes.keySet());
  }

  /** Every other host of the cluster reaches a node's pods through that node. */
  private void routePodRanges(List<RealNode.Spec> specs) {
    List<String> hosts = new ArrayList<>(List.of(CONTROL_PLANE));
    specs.forEach(s -> hosts.add(s.name()));
    for (RealNode.Spec target : specs) {
      for (String host : hosts) {
        if (!host.equals(target.name())) {
          Netns.in(lan.ns(host), "ip", "route", "add", target.podRange(), "via", target.address());
        }
      }
    }
  }

  /** Waits until the node says Ready (its kubelet registered and its runtime and network work). */
  public void waitUntilReady(String name, int seconds) throws InterruptedException {
    RealNode node = nodes.get(name);
    ControlPlane.waitUntil(
        name + " to be Ready (see " + node.dir() + "/node.log, kubelet.log, containerd.log)",
        () -> {
          if (!node.alive()) {
            throw new IllegalStateException(name + " stopped (see " + node.dir() + "/node.log)");
          }
          return ready(admin.nodes().withName(name).get());
        },
        seconds);
  }

  /**
   * A merge patch of the labels alone, without a resourceVersion: the kubelet updates its Node all
   * the time, and an edit (read, change, write back) loses that race with a 409 Conflict.
   */
  private void label(NodeSpec spec) {
    if (!spec.labels().isEmpty()) {
      admin
          .nodes()
          .withName(spec.name())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("metadata", Map.of("labels", spec.labels()))));
    }
  }

  static boolean ready(Node node) {
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public ControlPlane controlPlane() {
    return plane;
  }

  public KubernetesClient admin() {
    return admin;
  }

  public RealNode node(String name) {
    return nodes.get(name);
  }

  public List<String> nodeNames() {
    return List.copyOf(nodes.keySet());
  }

  @Override
  public void close() {
    admin.close();
    for (Map.Entry<String, RealNode> node : nodes.entrySet()) {
      long start = System.nanoTime();
      node.getValue().close();
      progress.accept(
          String.format("%s stopped and removed in %.1f s", node.getKey(), seconds(start)));
    }
    long start = System.nanoTime();
    plane.close();
    progress.accept(String.format("control plane stopped in %.1f s", seconds(start)));
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
