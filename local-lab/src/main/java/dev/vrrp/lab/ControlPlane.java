package dev.vrrp.lab;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lab cluster's control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)
 * on a host of its own on the lab's segment, run by {@code control-plane.sh}: the kubelets and the
 * pods reach the API server at {@code https://ADDRESS:6443} across the segment, as on a real
 * network, and this machine's processes (the lab, the tests, kubectl) at {@code
 * https://127.0.0.1:PORT} through a relay that does not cross the segment, so cutting the control
 * plane's cable takes it away from the nodes only.
 */
public final class ControlPlane implements AutoCloseable {
  public static final int PORT = 6443;
  private static final String SCRIPT = "control-plane.sh";

  private final Segment lan;
  private final String host;
  private final String address;
  private final Path dir;
  private final Process process;
  private final Process relayInside;
  private final Process relayOutside;
  private final int localPort;

  private ControlPlane(Segment lan, String host, String address, Path dir, List<String> nodes)
      throws IOException, InterruptedException {
    this.lan = lan;
    this.host = host;
    this.address = address;
    this.dir = Files.createDirectories(dir);
    Path script = copyResource(SCRIPT, dir);
    Files.writeString(
        dir.resolve("env"),
        String.join(
            "\n",
            "BIN=" + KubernetesVersion.binaries(),
            "ADDRESS=" + address,
            "PORT=" + PORT,
            "SERVICE_RANGE=" + ClusterRanges.SERVICES,
            "SERVICE_IP=" + ClusterRanges.API_SERVICE_IP,
            "POD_RANGE=" + ClusterRanges.PODS,
            "NODES=\"" + String.join(" ", nodes) + "\"",
            ""));
    process = lan.start(host, List.of("bash", script.toString(), dir.toString()), log(SCRIPT));
    Path socket = dir.resolve("api.sock");
    Files.deleteIfExists(socket);
    relayInside =
        lan.start(
            host,
            List.of(
                ExternalTools.require("socat"),
                "UNIX-LISTEN:" + socket + ",fork",
                "TCP:127.0.0.1:" + PORT),
            log("relay.log"));
    localPort = freePort();
    waitUntil("the relay's socket " + socket, () -> Files.exists(socket), 10);
    relayOutside =
        new ProcessBuilder(
                ExternalTools.require("socat"),
                "TCP-LISTEN:" + localPort + ",bind=127.0.0.1,reuseaddr,fork",
                "UNIX-CONNECT:" + socket)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log("relay.log").toFile()))
            .start();
  }

  /**
   * Starts the control plane on {@code host} (already on the segment at {@code address}), with
   * identities for {@code nodes}, and waits until the API server is ready.
   */
  public static ControlPlane start(
      Segment lan,
      String host,
      String address,
      Path dir,
      List<String> nodes,
      Consumer<String> progress)
      throws IOException, InterruptedException {
    ControlPlane plane = new ControlPlane(lan, host, address, dir, nodes);
    try {
      plane.waitUntilReady(progress);
      return plane;
    } catch (InterruptedException | RuntimeException e) {
      plane.close();
      throw e;
    }
  }

  private void waitUntilReady(Consumer<String> progress) throws InterruptedException {
    waitUntil("the control plane's kubeconfigs", () -> Files.exists(kubeconfig("admin")), 60);
    try (KubernetesClient client = client()) {
      waitUntil(
          "kube-apiserver's /readyz (see " + dir + "/kube-apiserver.log)",
          () -> "ok".equals(client.raw("/readyz")),
          90);
      waitUntil(
          "the bootstrap RBAC policy",
          () -> client.rbac().clusterRoles().withName("system:node-proxier").get() != null,
          60);
    }
    progress.accept("API server ready at https://" + address + ":" + PORT);
  }

  /** A kubeconfig the control plane made: "admin", "kube-proxy" or a node's name. */
  public Path kubeconfig(String identity) {
    return dir.resolve("kubeconfigs").resolve(identity);
  }

  /** The administrator's kubeconfig for this machine's processes (via the local relay). */
  public String localAdminKubeconfig() throws IOException {
    return Files.readString(kubeconfig("admin"))
        .replace("https://" + address + ":" + PORT, "https://127.0.0.1:" + localPort);
  }

  /** A client of the administrator (system:masters); the caller closes it. */
  public KubernetesClient client() {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(localAdminKubeconfig()))
          .build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + kubeconfig("admin"), e);
    }
  }

  /** The lab's CA (it signed the API server's certificate). */
  public Path ca() {
    return dir.resolve("pki").resolve("ca.crt");
  }

  public String address() {
    return address;
  }

  private Path log(String name) {
    return dir.resolve(name.replace(".sh", ".log"));
  }

  @Override
  public void close() {
    for (Process p : List.of(relayOutside, relayInside, process)) {
      if (p != null) {
        p.destroy();
      }
    }
    for (Process p : List.of(relayOutside, relayInside, process)) {
      try {
        if (p != null && !p.waitFor(30, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static Path copyResource(String name, Path dir) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = ControlPlane.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the local-lab jar");
      }
      Files.write(target, in.readAllBytes());
    }
    return target;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitUntil(String what, Check check, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.ok()) {
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
}
