package dev.vrrp.operator;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails an API-server test class with a clear message when the kube-apiserver / etcd binaries are
 * not where kube-api-test will look (it would otherwise try to download them). Register it before
 * {@code @EnableKubeAPIServer} so it runs first.
 */
public final class KubeApiBinaries implements BeforeAllCallback {
  public static final String VERSION = "1.35.4";

  @Override
  public void beforeAll(ExtensionContext context) {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    if (dir == null || dir.isBlank()) {
      Assertions.fail(
          "KUBE_API_TEST_DIR is not set. These tests run a real kube-apiserver + etcd from local "
              + "binaries: export KUBE_API_TEST_DIR=$(scripts/kube-test-binaries.sh | tail -1)");
    }
    Path binaries = Path.of(dir, "k8s", VERSION + "-linux-amd64");
    for (String binary : new String[] {"kube-apiserver", "etcd"}) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        Assertions.fail(
            "KUBE_API_TEST_DIR="
                + dir
                + " has no "
                + binaries.resolve(binary)
                + "; build it with scripts/kube-test-binaries.sh (Kubernetes "
                + VERSION
                + ")");
      }
    }
  }
}
