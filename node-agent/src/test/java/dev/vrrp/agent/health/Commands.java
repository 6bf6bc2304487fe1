package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a setup command (ip, sysctl) and insists it works; a test built on a half-made network
 * proves nothing.
 */
final class Commands {
  private Commands() {}

  static void run(List<String> command) {
    String output = "";
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail(String.join(" ", command) + ": still running after 30s");
      }
      if (process.exitValue() != 0) {
        fail(
            String.join(" ", command)
                + ": exit code "
                + process.exitValue()
                + ": "
                + output.strip());
      }
    } catch (IOException e) {
      fail(String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(String.join(" ", command) + ": interrupted");
    }
  }

  /** For cleanup: tries, and tells whether it worked, but never throws. */
  static boolean tryRun(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
