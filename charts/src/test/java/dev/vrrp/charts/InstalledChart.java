package dev.vrrp.charts;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Release;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.lab.ApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real kube-apiserver + etcd (the test harness' {@link ApiServer}) with RBAC authorization, and
 * the chart installed into it with its defaults ({@code helm install vrrp -n vrrp-system
 * --create-namespace}), once per test JVM and shared by every class that registers it:
 *
 * <pre>{@code @RegisterExtension static final InstalledChart CHART = new InstalledChart();}</pre>
 *
 * <p>The test client is kube-api-test's: a client certificate in {@code system:masters}, so it
 * installs anything and may impersonate the chart's service accounts ({@link #as}) to prove their
 * RBAC. The binaries come from {@code KUBE_API_TEST_DIR} (scripts/kube-test-binaries.sh) and are
 * never downloaded.
 */
public final class InstalledChart implements BeforeAllCallback {
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
    return running().apiServer.kubeconfigYaml();
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
    final ApiServer apiServer;
    final KubernetesClient admin;
    final Release release;

    private Server(ApiServer apiServer, KubernetesClient admin, Release release) {
      this.apiServer = apiServer;
      this.admin = admin;
      this.release = release;
    }

    static Server start() {
      ApiServer apiServer = new ApiServer();
      KubernetesClient admin = null;
      try {
        admin = apiServer.client();
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
                .withKubeConfigContents(apiServer.kubeconfigYaml())
                .call();
        System.out.printf(
            "helm install %s: %s in %.1f s%n",
            Chart.RELEASE, release.getStatus(), (System.nanoTime() - started) / 1e9);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ApiServer.established(
                        client
                            .apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(CRD_NAME)
                            .get()));
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> client.resources(VirtualIP.class).list() != null);
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
        apiServer.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        admin.close();
      } finally {
        apiServer.close();
      }
    }
  }
}
