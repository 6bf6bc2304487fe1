package dev.vrrp.agent.health;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * keepalived's vrrp_script: runs a command; exit code 0 is healthy, anything else or overrunning is
 * failing.
 */
final class ExecProbe implements Probe {
  private static final File NO_INPUT = new File("/dev/null");

  private final List<String> command;
  private final Duration timeout;

  ExecProbe(List<String> command, Duration timeout) {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("an exec check needs a command");
    }
    this.command = List.copyOf(command);
    this.timeout = timeout;
  }

  @Override
  public ProbeResult probe() throws InterruptedException {
    Process process;
    try {
      // Output is thrown away: nobody reads it, and a full pipe would block the script.
      process =
          new ProcessBuilder(command)
              .redirectInput(NO_INPUT)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      return ProbeResult.failed("cannot run " + command.get(0) + ": " + e.getMessage());
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(process.toHandle());
        return ProbeResult.failed("still running after " + timeout.toMillis() + "ms, killed");
      }
    } catch (InterruptedException e) {
      killTree(process.toHandle()); // the tracker is closing: leave no script behind
      throw e;
    }
    int exit = process.exitValue();
    return exit == 0 ? ProbeResult.ok("exit code 0") : ProbeResult.failed("exit code " + exit);
  }

  /**
   * Kills a process and everything it started, parents before children so a shell loop cannot start
   * new children behind our back. Children are listed before their parent dies: once re-parented to
   * init they are no longer its descendants.
   */
  static void killTree(ProcessHandle process) {
    List<ProcessHandle> children = process.children().toList();
    process.destroyForcibly();
    children.forEach(ExecProbe::killTree);
  }
}
