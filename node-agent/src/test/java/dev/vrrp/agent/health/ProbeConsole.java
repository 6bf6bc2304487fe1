package dev.vrrp.agent.health;

import dev.vrrp.agent.config.CheckSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs probes inside a network namespace for the namespace tests, which must not probe from the
 * test JVM: it lives in the host's namespace. Started as {@code ip netns exec NS java ...
 * ProbeConsole}; reads one request per line from stdin and answers each with one line, {@code OK
 * <detail>} or {@code FAIL <detail>}:
 *
 * <pre>
 * link IFACE
 * gateway ADDRESS|- IFACE|- TIMEOUT_MS      ("-": follow the default route / no interface)
 * </pre>
 *
 * The probes come from {@link ProbeFactory}, as in the agent.
 */
public final class ProbeConsole {
  private ProbeConsole() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      ProbeResult result;
      try {
        result = ProbeFactory.create(check(line.trim().split("\\s+"))).probe();
      } catch (RuntimeException e) {
        result = ProbeResult.failed("bad request '" + line + "': " + e);
      }
      System.out.println((result.ok() ? "OK " : "FAIL ") + result.detail().replace('\n', ' '));
      System.out.flush();
    }
  }

  private static CheckSettings check(String[] words) {
    return switch (words[0]) {
      case "link" -> TestChecks.link("link", words[1]);
      case "gateway" ->
          TestChecks.gateway(
              "gateway",
              dash(words[1]),
              dash(words[2]),
              Duration.ofMillis(Long.parseLong(words[3])));
      default -> throw new IllegalArgumentException("unknown probe " + words[0]);
    };
  }

  private static String dash(String word) {
    return word.equals("-") ? null : word;
  }
}
