package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What the namespace tests need: root and iproute2's {@code ip}. Locally a missing piece skips the
 * test; in CI (CI=true), where the runner provides both, it fails the test so nothing is skipped
 * silently.
 */
final class RootNetworking {
  private RootNetworking() {}

  /** Returns the path of {@code ip}, or skips (fails in CI) the calling test. */
  static String requireIp() {
    if (!isRoot()) {
      missing("root (network namespaces need CAP_SYS_ADMIN)");
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
    Optional<String> ip =
        Arrays.stream(path.split(File.pathSeparator))
            .map(dir -> new File(dir, "ip"))
            .filter(File::canExecute)
            .map(File::getAbsolutePath)
            .findFirst();
    if (ip.isEmpty()) {
      missing("ip (iproute2)");
    }
    return ip.get();
  }

  private static boolean isRoot() {
    try {
      // "Uid: real effective saved fs"; the effective one decides.
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("Uid:"))
          .map(line -> line.split("\\s+")[2])
          .anyMatch("0"::equals);
    } catch (IOException e) {
      return false;
    }
  }

  private static void missing(String what) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(what + " is missing; CI must provide it");
    }
    Assumptions.abort(what + " is missing");
  }
}
