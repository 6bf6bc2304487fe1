package dev.vrrp.agent.lab;

import dev.vrrp.lab.ExternalTools;
import dev.vrrp.lab.Netns;
import dev.vrrp.lab.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * tcpdump on a test host's eth0, written to a pcap file; started only once it is really listening.
 */
public final class Capture {
  private final Process process;
  private final Path file;

  private Capture(Process process, Path file) {
    this.process = process;
    this.file = file;
  }

  public static Capture start(Segment lan, String host, String filter, Path dir)
      throws IOException {
    Path file = dir.resolve(host + "-" + System.nanoTime() + ".pcap");
    Path log = dir.resolve(file.getFileName() + ".log");
    Process p =
        lan.start(
            host,
            List.of(
                ExternalTools.require("tcpdump"),
                "-i",
                "eth0",
                "-n",
                "-U",
                "--immediate-mode",
                "-w",
                file.toString(),
                filter),
            log);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(log) && Files.readString(log).contains("listening on"));
    return new Capture(p, file);
  }

  /**
   * tcpdump on the segment's bridge: every frame between the hosts, with nanosecond timestamps of
   * one clock (the bridge's), so frames of different hosts can be put in order.
   */
  public static Capture onBridge(Segment lan, String filter, Path dir) throws IOException {
    Path file = dir.resolve("bridge-" + System.nanoTime() + ".pcap");
    Path log = dir.resolve(file.getFileName() + ".log");
    Process p =
        Netns.processIn(
                lan.bridgeNamespace(),
                List.of(
                    ExternalTools.require("tcpdump"),
                    "-i",
                    "br0",
                    "-n",
                    "-U",
                    "--immediate-mode",
                    "--time-stamp-precision=nano",
                    "-B",
                    "8192",
                    "-w",
                    file.toString(),
                    filter))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(log) && Files.readString(log).contains("listening on"));
    return new Capture(p, file);
  }

  /** Stops tcpdump after a short grace period for packets still in flight, and returns the file. */
  public Path stop() throws InterruptedException {
    Thread.sleep(300);
    process.destroy();
    process.waitFor();
    return file;
  }
}
