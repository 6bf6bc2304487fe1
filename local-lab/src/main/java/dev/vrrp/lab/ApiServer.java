package dev.vrrp.lab;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver + etcd (fabric8 kube-api-test) on 127.0.0.1 with RBAC authorization, from
 * the binaries of scripts/kube-test-binaries.sh ({@link KubernetesVersion}); never downloaded. No
 * scheduler, kubelet or controller-manager. The lab, the end-to-end tests and every module's API
 * server tests start it this way (the tests through {@link SharedApiServer}).
 */
public final class ApiServer implements AutoCloseable {
  public static final String VERSION = KubernetesVersion.VERSION;
  private final KubeAPIServer server;
  private final String kubeconfig;

  public ApiServer() {
    KubernetesVersion.requireBinaries("kube-apiserver", "etcd");
    server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(LoopbackEtcd.testDir().toString())
                .withApiServerVersion(VERSION)
                // here, not through KUBE_API_TEST_OFFLINE_MODE (kube-api-test 7.5.2 fails to read
                // it)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                // kube-api-test adds --authorization-mode RBAC itself; passing it again fails the
                // start
                .withApiServerFlag("--bind-address", "127.0.0.1")
                .build());
    server.start();
    kubeconfig = server.getKubeConfigYaml();
  }

  /** One of the test binaries, e.g. the real kubectl. */
  public static Path binary(String name) {
    return KubernetesVersion.binary(name);
  }

  /** A client of the administrator (system:masters); the caller closes it. */
  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  /** The administrator's kubeconfig, as YAML. */
  public String kubeconfigYaml() {
    return kubeconfig;
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

  /**
   * Installs a CRD from a file (server-side apply, so it is idempotent) and waits until it is
   * Established; returns it as the server stored it.
   */
  public static CustomResourceDefinition installCrd(KubernetesClient client, Path file) {
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(file)) {
      crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
    client.resource(crd).fieldManager("vrrp-tests").forceConflicts().serverSideApply();
    return client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(ApiServer::established, 30, TimeUnit.SECONDS);
  }

  public static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    server.stop();
  }
}
