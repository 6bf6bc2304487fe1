package dev.vrrp.lab;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole product on one machine: a real kube-apiserver + etcd, the chart installed into it with
 * Helm, lab nodes (network namespaces on one bridge, with Node objects), a client that is also the
 * nodes' gateway, and the {@link Kubelet} that runs the chart's operator Deployment and the
 * operator's agent DaemonSet as processes with their service accounts' tokens. Every process
 * reaches the API server through {@link ApiRelay}, so {@link #relay()} can cut it for all of them
 * at once.
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
    /** Three nodes, one operator replica, the chart's defaults otherwise. */
    public static Settings defaults(Path stateDir, String prefix, Path repo) {
      return new Settings(
          stateDir,
          prefix,
          repo,
          List.of(
              Node.numbered("node-a", 0, Map.of("node-role.kubernetes.io/ingress", "")),
              Node.numbered("node-b", 1, Map.of("node-role.kubernetes.io/ingress", "")),
              Node.numbered("node-c", 2, Map.of())),
          Map.of("operator.replicas", 1),
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
  private ApiServer api;
  private KubernetesClient admin;
  private Path kubeconfig;
  private Segment lan;
  private ApiRelay relay;
  private Kubelet kubelet;

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
    progress.accept("starting kube-apiserver " + ApiServer.VERSION + " + etcd on 127.0.0.1");
    api = closing(new ApiServer());
    admin = closing(api.client());
    kubeconfig = api.writeKubeconfig(settings.stateDir());
    progress.accept(
        "API server up at https://127.0.0.1:" + api.port() + "; waiting for its bootstrap RBAC");
    waitFor(
        "the bootstrap RBAC policy",
        60,
        () -> admin.rbac().clusterRoles().withName("system:basic-user").get() != null);

    progress.accept(
        "helm install "
            + RELEASE
            + " charts/vrrp-operator -n "
            + NAMESPACE
            + " "
            + settings.chartValues());
    InstallCommand install =
        new Helm(settings.repo().resolve("charts").resolve("vrrp-operator"))
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .createNamespace()
            .withKubeConfigContents(Files.readString(kubeconfig));
    for (Map.Entry<String, Object> value : settings.chartValues().entrySet()) {
      install = install.set(value.getKey(), value.getValue());
    }
    progress.accept("helm: release " + install.call().getStatus());
    waitFor(
        "the VirtualIP CRD to be established",
        30,
        () ->
            ApiServer.established(
                admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get()));

    progress.accept(
        "network: bridge, client/gateway "
            + GATEWAY_V4
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
      admin
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(node.name())
                  .withLabels(withHostname(node))
                  .endMetadata()
                  .withNewStatus()
                  .addNewAddress()
                  .withType("InternalIP")
                  .withAddress(node.ipv4())
                  .endAddress()
                  .addNewAddress()
                  .withType("Hostname")
                  .withAddress(node.name())
                  .endAddress()
                  .endStatus()
                  .build())
          .serverSideApply();
    }
    relay = closing(new ApiRelay(lan, api.port(), settings.stateDir()));
    for (Node node : settings.nodes()) {
      relay.connect(node.name());
      if (settings.healthEndpoints()) {
        serveHealth(node.name());
      }
    }

    progress.accept(
        "kubelet: running the chart's Deployment and the operator's DaemonSets as processes "
            + "(logs in "
            + settings.stateDir().resolve("logs")
            + ")");
    kubelet =
        closing(
            new Kubelet(
                admin,
                NAMESPACE,
                lan,
                placement(),
                settings.nodes().stream().map(Node::name).toList(),
                localJars(),
                settings.stateDir(),
                progress));
    kubelet.start();
  }

  private Map<String, String> withHostname(Node node) {
    Map<String, String> labels = new LinkedHashMap<>(node.labels());
    labels.put("kubernetes.io/hostname", node.name());
    labels.put("kubernetes.io/os", "linux");
    return labels;
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

  private Kubelet.Placement placement() {
    Map<String, Node> byName = new LinkedHashMap<>();
    settings.nodes().forEach(n -> byName.put(n.name(), n));
    Map<String, String> podHosts = new java.util.concurrent.ConcurrentHashMap<>();
    return new Kubelet.Placement() {
      @Override
      public String nodeHost(String node) {
        return node;
      }

      @Override
      public String nodeIp(String node) {
        return byName.get(node).ipv4();
      }

      @Override
      public synchronized String podHost(String pod) throws IOException {
        if (!podHosts.containsKey(pod)) {
          lan.host(pod);
          relay.connect(pod);
          podHosts.put(pod, pod);
        }
        return pod;
      }

      @Override
      public Map<String, String> nodeLabels(String node) {
        return withHostname(byName.get(node));
      }
    };
  }

  private Map<String, Path> localJars() {
    return Map.of(
        "node-agent.jar",
        built("node-agent", "node-agent.jar"),
        "operator.jar",
        built("operator", "operator.jar"));
  }

  private Path built(String module, String jar) {
    Path path = settings.repo().resolve(module).resolve("target").resolve(jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          path + " is missing: build it first (./mvnw -DskipTests package)");
    }
    return path;
  }

  /** The node's cable is pulled and its processes die at once: no graceful handover. */
  public void fail(String node) {
    lan.link(node, false);
    kubelet.fail(node);
  }

  /** The node is back: cable in, its DaemonSet pods start again. */
  public void heal(String node) {
    lan.link(node, true);
    kubelet.heal(node);
  }

  public KubernetesClient admin() {
    return admin;
  }

  /** The administrator's kubeconfig (system:masters), for kubectl. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public Segment lan() {
    return lan;
  }

  public ApiRelay relay() {
    return relay;
  }

  public Kubelet kubelet() {
    return kubelet;
  }

  public Settings settings() {
    return settings;
  }

  private <T extends AutoCloseable> T closing(T resource) {
    closeInReverse.add(0, resource);
    return resource;
  }

  private static void waitFor(
      String what, int seconds, java.util.concurrent.Callable<Boolean> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "timed out after "
            + seconds
            + " s waiting for "
            + what
            + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
  }

  /** Stops the pods gracefully, then the network, then the API server. */
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
