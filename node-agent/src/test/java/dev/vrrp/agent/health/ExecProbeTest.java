package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecProbeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void exitCodeZeroIsHealthy() throws Exception {
    assertThat(new ExecProbe(List.of("true"), TIMEOUT).probe())
        .isEqualTo(ProbeResult.ok("exit code 0"));
  }

  @Test
  void anyOtherExitCodeFails() throws Exception {
    assertThat(new ExecProbe(List.of("false"), TIMEOUT).probe())
        .isEqualTo(ProbeResult.failed("exit code 1"));
    assertThat(new ExecProbe(List.of("sh", "-c", "exit 7"), TIMEOUT).probe())
        .isEqualTo(ProbeResult.failed("exit code 7"));
  }

  @Test
  void aCommandThatCannotStartFails() throws Exception {
    ProbeResult result =
        new ExecProbe(List.of(dir.resolve("no-such-script").toString()), TIMEOUT).probe();

    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).startsWith("cannot run " + dir.resolve("no-such-script"));
  }

  @Test
  void aCommandOverrunningItsTimeoutIsKilledAndFails() throws Exception {
    long start = System.nanoTime();

    ProbeResult result = new ExecProbe(List.of("sleep", "30"), Duration.ofMillis(300)).probe();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(result).isEqualTo(ProbeResult.failed("still running after 300ms, killed"));
  }

  @Test
  void killingOnTimeoutTakesTheCommandsChildrenAlong() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    // A shell that waits on a background child: killing only the shell would leave the sleep
    // running.
    List<String> command = List.of("sh", "-c", "sleep 30 & echo $! > " + pidFile + "; wait");

    ProbeResult result = new ExecProbe(command, Duration.ofMillis(500)).probe();

    assertThat(result.ok()).isFalse();
    long child = Long.parseLong(Files.readString(pidFile).strip());
    await().atMost(Duration.ofSeconds(5)).until(() -> ended(child));
  }

  @Test
  void anInterruptedProbeKillsItsCommand() throws Exception {
    Path pidFile = dir.resolve("shell.pid");
    List<String> command = List.of("sh", "-c", "echo $$ > " + pidFile + "; sleep 30");
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<ProbeResult> probe =
          thread.submit(() -> new ExecProbe(command, Duration.ofSeconds(60)).probe());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
      long shell = Long.parseLong(Files.readString(pidFile).strip());

      probe.cancel(true);

      await().atMost(Duration.ofSeconds(5)).until(() -> ended(shell));
    } finally {
      thread.shutdownNow();
    }
  }

  /**
   * Gone, or a zombie: a killed grandchild is re-parented to init, and when init reaps is up to
   * init (slowly, in some containers). What matters here is that it no longer runs.
   */
  private static boolean ended(long pid) throws IOException {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (NoSuchFileException e) {
      return true;
    }
  }

  @Test
  void needsACommand() {
    assertThatThrownBy(() -> new ExecProbe(List.of(), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
