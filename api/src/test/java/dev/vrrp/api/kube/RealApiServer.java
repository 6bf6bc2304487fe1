package dev.vrrp.api.kube;

import static org.awaitility.Awaitility.await;

import dev.vrrp.api.crd.VirtualIpCrdGenerator;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real kube-apiserver + etcd (fabric8 kube-api-test) on 127.0.0.1, started once per test JVM and
 * shared by every test class that registers this extension:
 *
 * <pre>{@code @RegisterExtension static final RealApiServer API = new RealApiServer();}</pre>
 *
 * <p>The binaries come from {@code KUBE_API_TEST_DIR} (default: where {@code
 * scripts/kube-test-binaries.sh} puts them). They are never downloaded: when they are missing the
 * test fails and says how to build them.
 */
public final class RealApiServer implements BeforeAllCallback {
  public static final String KUBERNETES_VERSION = "1.35.4";
  public static final String CRD_NAME = "virtualips.vrrp.dev";
  private static final String DEFAULT_DIR = ".cache/vrrp-operator/kubeapitest";
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealApiServer.class);

  private Server server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(Server.class, k -> Server.start(), Server.class);
  }

  /** A client shared by the tests of the JVM; do not close it. */
  public KubernetesClient client() {
    return running().client;
  }

  /** A client of its own (another "process"), to be closed by the caller. */
  public KubernetesClient newClient() {
    return running().newClient();
  }

  /** A kubeconfig file for the server, e.g. for kubectl. */
  public Path kubeconfig() {
    return running().kubeconfig;
  }

  /** The kubectl of the same Kubernetes version. */
  public Path kubectl() {
    return running().binaries.resolve("kubectl");
  }

  /**
   * Installs the CRD the build generated (server-side apply, so it is idempotent) and waits until
   * it is Established; returns the CRD as the server stored it.
   */
  public CustomResourceDefinition installCrd() {
    KubernetesClient client = client();
    Path file = generatedCrd();
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(file)) {
      crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
    client.resource(crd).fieldManager("vrrp-api-tests").forceConflicts().serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                established(
                    client
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(CRD_NAME)
                        .get()));
    return client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get();
  }

  /** The CRD file the build generated (exec-maven-plugin, process-test-classes). */
  public static Path generatedCrd() {
    Path dir = Path.of(System.getProperty("crd.generated.dir", "target/crds"));
    Path file = dir.resolve(VirtualIpCrdGenerator.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file.toAbsolutePath()
              + " does not exist: the build generates it in "
              + "process-test-classes; run the tests through Maven (./mvnw -pl api verify)");
    }
    return file;
  }

  static boolean established(CustomResourceDefinition crd) {
    if (crd == null || crd.getStatus() == null || crd.getStatus().getConditions() == null) {
      return false;
    }
    List<CustomResourceDefinitionCondition> conditions = crd.getStatus().getConditions();
    return conditions.stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private Server running() {
    if (server == null) {
      throw new IllegalStateException(
          "register RealApiServer with @RegisterExtension on a static field");
    }
    return server;
  }

  /** The running server; JUnit closes it when the root context ends (after the last test class). */
  static final class Server implements AutoCloseable {
    final KubeAPIServer apiServer;
    final Path binaries;
    final Path kubeconfig;
    final KubernetesClient client;

    private Server(KubeAPIServer apiServer, Path binaries, Path kubeconfig) {
      this.apiServer = apiServer;
      this.binaries = binaries;
      this.kubeconfig = kubeconfig;
      this.client = newClient();
    }

    static Server start() {
      Path dir = testDir();
      Path binaries = binaries(dir);
      KubeAPIServer apiServer =
          new KubeAPIServer(
              KubeAPIServerConfigBuilder.anAPIServerConfig()
                  .withTestDir(dir.toString())
                  .withApiServerVersion(KUBERNETES_VERSION)
                  // set here, not through KUBE_API_TEST_OFFLINE_MODE (kube-api-test 7.5.2 fails to
                  // read that variable)
                  .withOfflineMode(true)
                  .withApiServerFlags(List.of("--bind-address", "127.0.0.1"))
                  .withUpdateKubeConfig(false)
                  .build());
      apiServer.start();
      try {
        Path kubeconfig = Files.createTempFile("vrrp-api-kubeconfig-", ".yaml");
        Files.writeString(kubeconfig, apiServer.getKubeConfigYaml());
        return new Server(apiServer, binaries, kubeconfig);
      } catch (IOException | RuntimeException e) {
        apiServer.stop();
        throw new IllegalStateException("cannot write a kubeconfig for the test API server", e);
      }
    }

    KubernetesClient newClient() {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(apiServer.getKubeConfigYaml()))
          .build();
    }

    @Override
    public void close() throws IOException {
      try {
        client.close();
        apiServer.stop();
      } finally {
        Files.deleteIfExists(kubeconfig);
      }
    }

    private static Path testDir() {
      String fromEnv = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
      return fromEnv != null && !fromEnv.isBlank()
          ? Path.of(fromEnv)
          : Path.of(System.getProperty("user.home")).resolve(DEFAULT_DIR);
    }

    /**
     * Where kube-api-test looks for the binaries of our version, checked so that it never
     * downloads.
     */
    private static Path binaries(Path dir) {
      String arch =
          switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> System.getProperty("os.arch");
          };
      Path binaries = dir.resolve("k8s").resolve(KUBERNETES_VERSION + "-linux-" + arch);
      List<String> missing =
          List.of("kube-apiserver", "etcd", "kubectl").stream()
              .filter(b -> !Files.isExecutable(binaries.resolve(b)))
              .toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "No Kubernetes "
                + KUBERNETES_VERSION
                + " test binaries: "
                + missing
                + " missing in "
                + binaries
                + " (KUBE_API_TEST_DIR="
                + System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR)
                + "). These tests never download "
                + "binaries; build them once with\n  export KUBE_API_TEST_DIR=$(scripts/kube-test-binaries.sh | tail -1)\n"
                + "then run the tests again.");
      }
      return binaries;
    }
  }
}
