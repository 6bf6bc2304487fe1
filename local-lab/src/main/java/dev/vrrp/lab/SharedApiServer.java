package dev.vrrp.lab;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real API server ({@link ApiServer}) for every test class of a test JVM that registers this
 * extension; JUnit stops it after the last one:
 *
 * <pre>{@code @RegisterExtension static final SharedApiServer API = new SharedApiServer();}</pre>
 */
public final class SharedApiServer implements BeforeAllCallback {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(SharedApiServer.class);

  private Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    running =
        context
            .getRoot()
            .getStore(STORE)
            .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
  }

  /** The server itself (port, kubeconfig YAML). */
  public ApiServer server() {
    return running().server;
  }

  /** A client shared by the tests of the JVM (system:masters); do not close it. */
  public KubernetesClient client() {
    return running().client;
  }

  /** A client of its own (another "process"); the caller closes it. */
  public KubernetesClient newClient() {
    return running().server.client();
  }

  /** A kubeconfig file for the server, e.g. for kubectl or Helm. */
  public Path kubeconfig() {
    return running().kubeconfig;
  }

  /** The kubectl of the same Kubernetes version. */
  public Path kubectl() {
    return KubernetesVersion.binary("kubectl");
  }

  private Running running() {
    if (running == null) {
      throw new IllegalStateException(
          "register SharedApiServer with @RegisterExtension on a static field");
    }
    return running;
  }

  /** The running server; the root store closes it when the last test class is done. */
  private static final class Running implements AutoCloseable {
    final ApiServer server;
    final KubernetesClient client;
    final Path kubeconfig;

    private Running(ApiServer server, Path kubeconfig) {
      this.server = server;
      this.kubeconfig = kubeconfig;
      this.client = server.client();
    }

    static Running start() {
      ApiServer server = new ApiServer();
      try {
        Path dir = Files.createTempDirectory("vrrp-api-server-");
        return new Running(server, server.writeKubeconfig(dir));
      } catch (IOException | RuntimeException e) {
        server.close();
        throw new IllegalStateException("cannot write a kubeconfig for the test API server", e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        client.close();
        server.close();
      } finally {
        Files.deleteIfExists(kubeconfig);
        Files.deleteIfExists(kubeconfig.getParent());
      }
    }
  }
}
