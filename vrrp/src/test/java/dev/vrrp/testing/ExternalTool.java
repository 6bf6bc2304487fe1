package dev.vrrp.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds a system tool for a test. Locally a missing tool skips the test; in CI (CI=true), where
 * .ci/run installs every tool, a missing one fails it so nothing is skipped silently.
 */
public final class ExternalTool {
  private ExternalTool() {}

  public static String require(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
    return Arrays.stream(path.split(File.pathSeparator))
        .map(dir -> new File(dir, name))
        .filter(File::canExecute)
        .map(File::getAbsolutePath)
        .findFirst()
        .orElseGet(() -> missing(name));
  }

  private static String missing(String name) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(name + " is not installed; .ci/run must install it");
    }
    Assumptions.abort(name + " is not installed");
    return null;
  }
}
