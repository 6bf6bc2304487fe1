package dev.vrrp.lab;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real kube-apiserver + etcd (fabric8 kube-api-test) on 127.0.0.1, from the binaries that
 * scripts/kube-test-binaries.sh builds. No scheduler, kubelet or controller-manager.
 */
public final class ApiServer implements AutoCloseable {
  public static final String VERSION = "1.35.4";
  private final KubeAPIServer server;
  private final String kubeconfig;

  /** Where scripts/kube-test-binaries.sh put the binaries: $KUBE_API_TEST_DIR or its default. */
  public static String testDir() {
    return System.getenv()
        .getOrDefault(
            "KUBE_API_TEST_DIR",
            Path.of(System.getProperty("user.home"), ".cache", "vrrp-operator", "kubeapitest")
                .toString());
  }

  /** One of the test binaries, e.g. the real kubectl. */
  public static Path binary(String name) {
    return Path.of(testDir(), "k8s", VERSION + "-linux-amd64", name);
  }

  public ApiServer() {
    String dir = testDir();
    if (!Files.isDirectory(Path.of(dir, "k8s", VERSION + "-linux-amd64"))) {
      throw new IllegalStateException(
          "KUBE_API_TEST_DIR must point at the binaries of scripts/kube-test-binaries.sh "
              + "(run: export KUBE_API_TEST_DIR=$(scripts/kube-test-binaries.sh | tail -1))");
    }
    server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(dir)
                .withApiServerVersion(VERSION)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withApiServerFlag("--bind-address", "127.0.0.1")
                .build());
    server.start();
    kubeconfig = server.getKubeConfigYaml();
  }

  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  public int port() {
    return URI.create(Config.fromKubeconfig(kubeconfig).getMasterUrl()).getPort();
  }

  /** Writes the kubeconfig for child processes (agents, operator, kubectl). */
  public Path writeKubeconfig(Path dir) throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, kubeconfig);
    return file;
  }

  @Override
  public void close() {
    server.stop();
  }
}
