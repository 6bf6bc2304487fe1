package dev.vrrp.charts;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Release;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real kube-apiserver + etcd (fabric8 kube-api-test, Kubernetes {@value #KUBERNETES_VERSION})
 * with RBAC authorization, and the chart installed into it with its defaults ({@code helm install
 * vrrp -n vrrp-system --create-namespace}), once per test JVM and shared by every class that
 * registers it:
 *
 * <pre>{@code @RegisterExtension static final InstalledChart CHART = new InstalledChart();}</pre>
 *
 * <p>The test client is kube-api-test's: a client certificate in {@code system:masters}, so it
 * installs anything and may impersonate the chart's service accounts ({@link #as}) to prove their
 * RBAC. The binaries come from {@code KUBE_API_TEST_DIR} (scripts/kube-test-binaries.sh) and are
 * never downloaded.
 */
public final class InstalledChart implements BeforeAllCallback {
  public static final String KUBERNETES_VERSION = "1.35.4";
  public static final String CRD_NAME = "virtualips.vrrp.dev";
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(InstalledChart.class);

  private Server server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server =
        context
            .getRoot()
            .getStore(STORE)
            .getOrComputeIfAbsent(Server.class, k -> Server.start(), Server.class);
  }

  /** The administrator's client (system:masters); shared, do not close. */
  public KubernetesClient admin() {
    return running().admin;
  }

  /** The administrator's kubeconfig, e.g. for Helm. */
  public String kubeconfig() {
    return running().apiServer.getKubeConfigYaml();
  }

  /** What {@code helm install} returned. */
  public Release release() {
    return running().release;
  }

  /** A client that acts as the service account {@code name} of the release namespace; close it. */
  public KubernetesClient as(String serviceAccount) {
    Config config = Config.fromKubeconfig(kubeconfig());
    config.setImpersonateUsername(serviceAccountUser(serviceAccount));
    config.setImpersonateGroups(serviceAccountGroups());
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public static String serviceAccountUser(String serviceAccount) {
    return "system:serviceaccount:" + Chart.NAMESPACE + ":" + serviceAccount;
  }

  /** The groups the API server gives every service account token of the release namespace. */
  public static String[] serviceAccountGroups() {
    return new String[] {
      "system:serviceaccounts", "system:serviceaccounts:" + Chart.NAMESPACE, "system:authenticated"
    };
  }

  private Server running() {
    if (server == null) {
      throw new IllegalStateException(
          "register InstalledChart with @RegisterExtension on a static field");
    }
    return server;
  }

  /** The running server with the release; JUnit closes it when the root context ends. */
  static final class Server implements AutoCloseable {
    final KubeAPIServer apiServer;
    final KubernetesClient admin;
    final Release release;

    private Server(KubeAPIServer apiServer, KubernetesClient admin, Release release) {
      this.apiServer = apiServer;
      this.admin = admin;
      this.release = release;
    }

    static Server start() {
      Path dir = testDir();
      checkBinaries(dir);
      KubeAPIServer apiServer =
          new KubeAPIServer(
              KubeAPIServerConfigBuilder.anAPIServerConfig()
                  .withTestDir(dir.toString())
                  .withApiServerVersion(KUBERNETES_VERSION)
                  // set here, not through KUBE_API_TEST_OFFLINE_MODE (kube-api-test 7.5.2 fails to
                  // read that variable)
                  .withOfflineMode(true)
                  // kube-api-test always adds --authorization-mode RBAC; passing it again fails the
                  // start
                  // ("authorization-mode [RBAC RBAC] has mode specified more than once"); start()
                  // checks it
                  .withApiServerFlags(List.of("--bind-address", "127.0.0.1"))
                  .withUpdateKubeConfig(false)
                  .build());
      apiServer.start();
      KubernetesClient admin = null;
      try {
        admin =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(apiServer.getKubeConfigYaml()))
                .build();
        KubernetesClient client = admin;
        // the bootstrap RBAC policy (system:basic-user, ...) is in place before anyone is
        // authorized
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> client.rbac().clusterRoles().withName("system:basic-user").get() != null);
        long started = System.nanoTime();
        Release release =
            Chart.helm()
                .install()
                .withName(Chart.RELEASE)
                .withNamespace(Chart.NAMESPACE)
                .createNamespace()
                .withKubeConfigContents(apiServer.getKubeConfigYaml())
                .call();
        System.out.printf(
            "helm install %s: %s in %.1f s%n",
            Chart.RELEASE, release.getStatus(), (System.nanoTime() - started) / 1e9);
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
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> client.resources(dev.vrrp.api.v1alpha1.VirtualIP.class).list() != null);
        // RBAC decides (a service account without bindings may not read Secrets), and the
        // authorizer's
        // cache has the chart's bindings
        if (Access.allowed(
            client, "nobody", Access.Question.of("get core secrets " + Chart.NAMESPACE + " any"))) {
          throw new IllegalStateException("the test API server does not authorize with RBAC");
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Access.allowed(
                            client,
                            "vrrp-agent",
                            Access.Question.of("get core secrets " + Chart.NAMESPACE + " any"))
                        && Access.allowed(
                            client,
                            "vrrp-operator",
                            Access.Question.of("list vrrp.dev virtualips")));
        return new Server(apiServer, admin, release);
      } catch (RuntimeException | Error e) {
        if (admin != null) {
          admin.close();
        }
        apiServer.stop();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        admin.close();
      } finally {
        apiServer.stop();
      }
    }

    static boolean established(CustomResourceDefinition crd) {
      return crd != null
          && crd.getStatus() != null
          && crd.getStatus().getConditions() != null
          && crd.getStatus().getConditions().stream()
              .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Path testDir() {
      String fromEnv = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
      if (fromEnv == null || fromEnv.isBlank()) {
        throw new IllegalStateException(
            "KUBE_API_TEST_DIR is not set. These tests run a real kube-apiserver + "
                + "etcd from local binaries: export KUBE_API_TEST_DIR=$(scripts/kube-test-binaries.sh | tail -1)");
      }
      return Path.of(fromEnv);
    }

    /**
     * Where kube-api-test looks for the binaries of our version, checked so that it never
     * downloads.
     */
    private static void checkBinaries(Path dir) {
      String arch =
          switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> System.getProperty("os.arch");
          };
      Path binaries = dir.resolve("k8s").resolve(KUBERNETES_VERSION + "-linux-" + arch);
      List<String> missing =
          List.of("kube-apiserver", "etcd").stream()
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
                + ". These tests never download binaries; build them once with\n"
                + "  export KUBE_API_TEST_DIR=$(scripts/kube-test-binaries.sh | tail -1)");
      }
    }
  }
}
