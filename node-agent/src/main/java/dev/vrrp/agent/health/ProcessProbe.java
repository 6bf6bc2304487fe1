package dev.vrrp.agent.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * keepalived's track_process: healthy while a process runs. One word is matched against the
 * process's name (the {@code Name:} of /proc/PID/status, which the kernel cuts to 15 characters, so
 * the word is cut the same way); more words must equal its command line, word for word. Exact
 * matches, no patterns: {@code ssh} does not match {@code sshd}.
 */
final class ProcessProbe implements Probe {
  /** The kernel's TASK_COMM_LEN minus the terminating NUL. */
  private static final int NAME_LENGTH = 15;

  private final Path proc;
  private final List<String> process;

  /** {@code proc}: where the node's /proc is seen (in the agent pods a read-only hostPath). */
  ProcessProbe(Path proc, List<String> process) {
    if (process == null || process.isEmpty()) {
      throw new IllegalArgumentException("a process check needs a process");
    }
    this.proc = proc;
    this.process = List.copyOf(process);
  }

  @Override
  public ProbeResult probe() {
    int running = 0;
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, ProcessProbe::isPid)) {
      for (Path pid : pids) {
        if (matches(pid)) {
          running++;
        }
      }
    } catch (IOException e) {
      return ProbeResult.failed("cannot list processes in " + proc + ": " + e.getMessage());
    }
    String what = String.join(" ", process);
    return running > 0
        ? ProbeResult.ok(what + ": " + running + " running")
        : ProbeResult.failed(what + ": not running");
  }

  private static boolean isPid(Path entry) {
    String name = entry.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  /** A process that ends while it is looked at simply does not match. */
  private boolean matches(Path pid) {
    try {
      if (process.size() == 1) {
        String wanted = process.get(0);
        wanted = wanted.length() > NAME_LENGTH ? wanted.substring(0, NAME_LENGTH) : wanted;
        for (String line : Files.readAllLines(pid.resolve("status"), StandardCharsets.UTF_8)) {
          if (line.startsWith("Name:")) {
            return line.substring("Name:".length()).strip().equals(wanted);
          }
        }
        return false;
      }
      byte[] cmdline = Files.readAllBytes(pid.resolve("cmdline"));
      if (cmdline.length == 0) {
        return false; // a kernel thread or a zombie
      }
      String text = new String(cmdline, StandardCharsets.UTF_8);
      if (text.endsWith("\0")) {
        text = text.substring(0, text.length() - 1);
      }
      return Arrays.asList(text.split("\0", -1)).equals(process);
    } catch (IOException e) {
      return false;
    }
  }
}
