package dev.vrrp.api.kube;

import dev.vrrp.api.crd.CrdGenerator;
import dev.vrrp.lab.ApiServer;
import dev.vrrp.lab.SharedApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared real API server of the test harness ({@link SharedApiServer}) with what the api tests
 * add: the CRD this build generated.
 *
 * <pre>{@code @RegisterExtension static final RealApiServer API = new RealApiServer();}</pre>
 */
public final class RealApiServer implements BeforeAllCallback {
  private final SharedApiServer shared = new SharedApiServer();

  @Override
  public void beforeAll(ExtensionContext context) {
    shared.beforeAll(context);
  }

  /** A client shared by the tests of the JVM; do not close it. */
  public KubernetesClient client() {
    return shared.client();
  }

  /** A client of its own (another "process"), to be closed by the caller. */
  public KubernetesClient newClient() {
    return shared.newClient();
  }

  public Path kubeconfig() {
    return shared.kubeconfig();
  }

  public Path kubectl() {
    return shared.kubectl();
  }

  /** Installs the VirtualIP CRD the build generated and waits until it is Established. */
  public CustomResourceDefinition installCrd() {
    return installCrd(CrdGenerator.VIRTUAL_IPS);
  }

  /** Installs a CRD the build generated and waits until it is Established. */
  public CustomResourceDefinition installCrd(CrdGenerator.Crd crd) {
    return ApiServer.installCrd(client(), generatedCrd(crd));
  }

  /** A CRD file the build generated (exec-maven-plugin, process-test-classes). */
  public static Path generatedCrd(CrdGenerator.Crd crd) {
    Path dir = Path.of(System.getProperty("crd.generated.dir", "target/crds"));
    Path file = dir.resolve(crd.fileName());
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file.toAbsolutePath()
              + " does not exist: the build generates it in "
              + "process-test-classes; run the tests through Maven (./mvnw -pl api verify)");
    }
    return file;
  }
}
