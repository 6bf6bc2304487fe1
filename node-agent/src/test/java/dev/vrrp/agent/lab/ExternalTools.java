package dev.vrrp.agent.lab;

import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Finds a system tool; a missing one skips locally and fails in CI (CI=true), where .ci/run installs it. */
public final class ExternalTools {
  private ExternalTools() {}

  public static String require(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin";
    return Arrays.stream(path.split(File.pathSeparator))
        .map(dir -> new File(dir, name))
        .filter(File::canExecute)
        .map(File::getAbsolutePath)
        .findFirst()
        .orElseGet(() -> {
          if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(name + " is not installed; .ci/run must install it");
          }
          Assumptions.abort(name + " is not installed");
          return null;
        });
  }
}
