package dev.vrrp.agent.lab;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs commands on the host's iproute2 and inside network namespaces the tests create. */
public final class Netns {
  private Netns() {}

  /** Skips locally when not root; fails in CI, where root and iproute2 are given. */
  public static void requireRoot() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("network namespace tests need root");
    }
    Assumptions.assumeTrue(root, "network namespace tests need root");
  }

  public static String run(String... argv) {
    Result r = tryRun(argv);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " -> " + r.exit() + ": " + r.output());
    }
    return r.output();
  }

  public record Result(int exit, String output) {}

  public static Result tryRun(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timeout: " + out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  public static String in(String namespace, String... argv) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    all.addAll(Arrays.asList(argv));
    return run(all.toArray(String[]::new));
  }

  public static Result tryIn(String namespace, String... argv) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    all.addAll(Arrays.asList(argv));
    return tryRun(all.toArray(String[]::new));
  }

  public static ProcessBuilder processIn(String namespace, List<String> argv) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    all.addAll(argv);
    return new ProcessBuilder(all);
  }
}
