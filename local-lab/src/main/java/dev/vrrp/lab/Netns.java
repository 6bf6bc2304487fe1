package dev.vrrp.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands on the host's iproute2 and inside network namespaces the tests create. */
public final class Netns {
  private Netns() {}

  /** Network namespaces, veth pairs and bridges need root; say so instead of failing halfway. */
  public static void requireRoot() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("network namespaces need root (run as root, e.g. sudo)");
    }
  }

  public static String run(String... argv) {
    Result r = tryRun(argv);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          String.join(" ", argv) + " -> " + r.exit() + ": " + r.output());
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
