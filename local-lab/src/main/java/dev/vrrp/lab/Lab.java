package dev.vrrp.lab;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The whole product on one machine: a {@link RealCluster} (a control-plane host, and nodes running
 * containerd, the kubelet and kube-proxy, with the images built here imported) on one segment with
 * a client that is also the nodes' gateway, and the chart installed with Helm as on any cluster:
 * the operator runs as the chart's Deployment, the agents as the pods of the DaemonSet it renders.
 *
 * <p>{@code ./lab up} runs one of these for the user; the end-to-end tests and the scale benchmark
 * run their own.
 */
public final class Lab implements AutoCloseable {
  public static final String NAMESPACE = "vrrp-system";
  public static final String RELEASE = "vrrp";
  public static final String CRD = "virtualips.vrrp.dev";
  public static final String GATEWAY_V4 = "192.0.2.1";
  public static final String GATEWAY_V6 = "2001:db8::1";

  /** The control plane's host on the segment (the API server's address for nodes and pods). */
  public static final String CONTROL_PLANE_V4 = "192.0.2.2";

  /** A lab node: its name (the Node object and the namespace), its addresses, its labels. */
  public record Node(String name, String ipv4, String ipv6, Map<String, String> labels) {
    /**
     * Node {@code index} (0-based) of the default layout: 192.0.2.11, 198.51.100.11, 2001:db8::11,
     * ...
     */
    public static Node numbered(String name, int index, Map<String, String> labels) {
      return new Node(name, "192.0.2." + (11 + index), "2001:db8::" + (11 + index), labels);
    }

    List<String> addresses() {
      String last = ipv4.substring(ipv4.lastIndexOf('.') + 1);
      return List.of(ipv4 + "/24", "198.51.100." + last + "/24", ipv6 + "/64");
    }
  }

  /**
   * @param stateDir where kubeconfigs, tokens and logs go
   * @param prefix the namespaces' name prefix
   * @param repo the repository root (the chart, the built jars)
   * @param chartValues {@code --set} values for the chart
   * @param healthEndpoints whether each node serves http://127.0.0.1:80/healthz (what example 05
   *     checks)
   */
  public record Settings(
      Path stateDir,
      String prefix,
      Path repo,
      List<Node> nodes,
      Map<String, Object> chartValues,
      boolean healthEndpoints) {
    /** Three nodes and the chart's defaults (two operator replicas). */
    public static Settings defaults(Path stateDir, String prefix, Path repo) {
      return new Settings(
          stateDir,
          prefix,
          repo,
          List.of(
              Node.numbered("node-a", 0, Map.of("node-role.kubernetes.io/ingress", "")),
              Node.numbered("node-b", 1, Map.of("node-role.kubernetes.io/ingress", "")),
              Node.numbered("node-c", 2, Map.of())),
          Map.of(),
          true);
    }

    public Settings withChartValues(Map<String, Object> values) {
      Map<String, Object> all = new LinkedHashMap<>(chartValues);
      all.putAll(values);
      return new Settings(stateDir, prefix, repo, nodes, all, healthEndpoints);
    }

    public Settings withNodes(List<Node> replacement) {
      return new Settings(stateDir, prefix, repo, replacement, chartValues, healthEndpoints);
    }
  }

  private final Settings settings;
  private final Consumer<String> progress;
  private final List<AutoCloseable> closeInReverse = new ArrayList<>();
  private Path kubeconfig;
  private Segment lan;
  private RealCluster cluster;

  private Lab(Settings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Starts everything; on failure, stops what was started and rethrows. */
  public static Lab start(Settings settings, Consumer<String> progress) throws Exception {
    Lab lab = new Lab(settings, progress);
    try {
      lab.startAll();
      return lab;
    } catch (Exception | Error e) {
      lab.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Files.createDirectories(settings.stateDir().resolve("logs"));
    progress.accept(
        "network: bridge, client/gateway "
            + GATEWAY_V4
            + ", control plane "
            + CONTROL_PLANE_V4
            + ", nodes "
            + settings.nodes().stream().map(Node::name).toList()
            + " (namespaces "
            + settings.prefix()
            + "-*)");
    lan = closing(Segment.named(settings.prefix()));
    lan.host("client", GATEWAY_V4 + "/24", "198.51.100.1/24", GATEWAY_V6 + "/64");
    for (Node node : settings.nodes()) {
      String ns = lan.host(node.name(), node.addresses().toArray(String[]::new));
      Netns.in(ns, "ip", "route", "add", "default", "via", GATEWAY_V4);
      Netns.in(ns, "ip", "-6", "route", "add", "default", "via", GATEWAY_V6);
    }
    cluster =
        closing(
            RealCluster.start(
                lan,
                CONTROL_PLANE_V4,
                "24",
                settings.nodes().stream()
                    .map(n -> new RealCluster.NodeSpec(n.name(), n.ipv4(), n.labels()))
                    .toList(),
                OciImages.of(settings.repo()),
                settings.stateDir().resolve("cluster"),
                progress));
    kubeconfig = settings.stateDir().resolve("kubeconfig");
    Files.writeString(kubeconfig, cluster.controlPlane().localAdminKubeconfig());
    if (settings.healthEndpoints()) {
      for (Node node : settings.nodes()) {
        serveHealth(node.name());
      }
    }

    progress.accept(
        "helm install "
            + RELEASE
            + " charts/vrrp-operator -n "
            + NAMESPACE
            + " "
            + settings.chartValues());
    InstallCommand install =
        chart()
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .createNamespace()
            .withKubeConfigContents(Files.readString(kubeconfig));
    for (Map.Entry<String, Object> value : settings.chartValues().entrySet()) {
      install = install.set(value.getKey(), value.getValue());
    }
    progress.accept("helm: release " + install.call().getStatus());
    KubernetesClient admin = cluster.admin();
    waitFor(
        "the VirtualIP CRD to be established",
        30,
        () ->
            ApiServer.established(
                admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get()));
    waitFor(
        "the operator's Deployment to be available (kubectl -n " + NAMESPACE + " describe pods)",
        120,
        () -> {
          List<Deployment> deployments =
              admin.apps().deployments().inNamespace(NAMESPACE).list().getItems();
          return !deployments.isEmpty()
              && deployments.stream()
                  .allMatch(
                      d ->
                          d.getStatus() != null
                              && d.getStatus().getAvailableReplicas() != null
                              && d.getStatus().getAvailableReplicas() >= 1);
        });
    progress.accept(
        "the operator runs (Deployment available); agents start with the first VirtualIP");
  }

  private Helm chart() {
    return new Helm(settings.repo().resolve("charts").resolve("vrrp-operator"));
  }

  /** {@code helm upgrade --reuse-values --set ...}: the release with these values changed. */
  public void upgrade(Map<String, Object> values) throws IOException {
    progress.accept("helm upgrade " + RELEASE + " --reuse-values " + values);
    UpgradeCommand upgrade =
        chart()
            .upgrade()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .reuseValues()
            .withKubeConfigContents(Files.readString(kubeconfig));
    for (Map.Entry<String, Object> value : values.entrySet()) {
      upgrade = upgrade.set(value.getKey(), value.getValue());
    }
    progress.accept("helm: release " + upgrade.call().getStatus());
  }

  /** {@code helm uninstall}: the chart's objects go (not the CRD, which Helm never deletes). */
  public void uninstall() throws IOException {
    progress.accept("helm uninstall " + RELEASE + " -n " + NAMESPACE);
    progress.accept(
        "helm: "
            + Helm.uninstall(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeConfigContents(Files.readString(kubeconfig))
                .call());
  }

  /** A stand-in for the web server example 05 tracks: 200 on 127.0.0.1:80 in the node. */
  private void serveHealth(String node) throws IOException {
    Path responder = settings.stateDir().resolve("healthz.sh");
    if (!Files.exists(responder)) {
      Files.writeString(
          responder,
          "#!/bin/sh\nprintf 'HTTP/1.0 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n'\n");
      responder.toFile().setExecutable(true);
    }
    lan.start(
        node,
        List.of(
            ExternalTools.require("socat"),
            "TCP-LISTEN:80,bind=127.0.0.1,reuseaddr,fork",
            "EXEC:" + responder),
        settings.stateDir().resolve("logs").resolve("health-" + node + ".log"));
  }

  /**
   * The node's cable is pulled and everything on it dies at once (kubelet, containerd, pods): no
   * graceful handover.
   */
  public void fail(String node) {
    lan.link(node, false);
    cluster.node(node).kill();
  }

  /** The node is back: cable in, its kubelet starts and runs its DaemonSet pods again. */
  public void heal(String node) throws IOException {
    lan.link(node, true);
    cluster.node(node).start();
  }

  /**
   * Cuts (or restores) the control plane's cable: the nodes and their pods lose the API server,
   * this machine's clients (the tests, kubectl) keep it.
   */
  public void apiServerReachable(boolean reachable) {
    lan.link(RealCluster.CONTROL_PLANE, reachable);
  }

  /** Processes of the lab's nodes whose command line contains {@code text} (e.g. a jar). */
  public List<Long> processes(String text) {
    return cluster.nodeNames().stream()
        .flatMap(n -> cluster.node(n).processes().stream())
        .filter(pid -> commandLine(pid).contains(text))
        .toList();
  }

  /**
   * The node's kubelet stops (SIGSTOP) or goes on (SIGCONT): its node turns NotReady after the
   * controller manager's grace period, while its containers, containerd and kube-proxy run on.
   */
  public void kubeletPaused(String node, boolean paused) throws IOException, InterruptedException {
    List<Long> kubelets =
        cluster.node(node).processes().stream()
            .filter(pid -> commandLine(pid).split(" ", 2)[0].endsWith("/kubelet"))
            .toList();
    if (kubelets.size() != 1) {
      throw new IllegalStateException(node + ": expected one kubelet, found " + kubelets);
    }
    int exit =
        new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", String.valueOf(kubelets.get(0)))
            .inheritIO()
            .start()
            .waitFor();
    if (exit != 0) {
      throw new IllegalStateException("kill " + (paused ? "-STOP" : "-CONT") + " failed: " + exit);
    }
  }

  private static String commandLine(long pid) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")).replace('\0', ' ');
    } catch (IOException e) {
      return ""; // it exited
    }
  }

  public KubernetesClient admin() {
    return cluster.admin();
  }

  /** The administrator's kubeconfig (system:masters), for kubectl. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public Segment lan() {
    return lan;
  }

  public Settings settings() {
    return settings;
  }

  private <T extends AutoCloseable> T closing(T resource) {
    closeInReverse.add(0, resource);
    return resource;
  }

  private static void waitFor(String what, int seconds, Callable<Boolean> condition)
      throws InterruptedException {
    ControlPlane.waitUntil(what, condition::call, seconds);
  }

  /** Stops the nodes (everything on them), the control plane, then the network. */
  @Override
  public void close() {
    for (AutoCloseable resource : closeInReverse) {
      try {
        resource.close();
      } catch (Exception e) {
        progress.accept("while stopping " + resource.getClass().getSimpleName() + ": " + e);
      }
    }
    closeInReverse.clear();
  }
}
