package dev.vrrp.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The one Kubernetes version the project builds and tests against, and where its binaries are.
 * scripts/kube-test-binaries.sh reads {@link #VERSION} from this file, so the script, the lab and
 * every test use the same one.
 */
public final class KubernetesVersion {
  public static final String VERSION = "1.35.4";

  private KubernetesVersion() {}

  /** Where scripts/kube-test-binaries.sh put the binaries: $KUBE_API_TEST_DIR or its default. */
  public static Path testDir() {
    String fromEnv = System.getenv("KUBE_API_TEST_DIR");
    return fromEnv != null && !fromEnv.isBlank()
        ? Path.of(fromEnv)
        : Path.of(System.getProperty("user.home"), ".cache", "vrrp-operator", "kubeapitest");
  }

  /** The directory of this version's binaries, as kube-api-test expects it. */
  public static Path binaries() {
    String arch =
        switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default -> System.getProperty("os.arch");
        };
    return testDir().resolve("k8s").resolve(VERSION + "-linux-" + arch);
  }

  /** One of the binaries, e.g. the real kubectl. */
  public static Path binary(String name) {
    return binaries().resolve(name);
  }

  /**
   * Fails, saying how to build them, when binaries are missing: nothing here ever downloads them
   * (kube-api-test would try to).
   */
  public static void requireBinaries(String... names) {
    List<String> missing =
        List.of(names).stream().filter(b -> !Files.isExecutable(binary(b))).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "No Kubernetes "
              + VERSION
              + " binaries "
              + missing
              + " in "
              + binaries()
              + " (KUBE_API_TEST_DIR="
              + System.getenv("KUBE_API_TEST_DIR")
              + "). They are never downloaded; build them once with\n"
              + "  export KUBE_API_TEST_DIR=$(scripts/kube-test-binaries.sh | tail -1)\n"
              + "or run the tests through ./test, which does it.");
    }
  }
}
