package dev.vrrp.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives test hosts (network namespaces) the API server at the same https://127.0.0.1:PORT the test
 * uses: socat in the host's namespace listens on its loopback and forwards over a unix socket to
 * socat in the root namespace, which connects to the real server. No route leaves loopback. {@link
 * #cut()} stops the forwarding (the API server becomes unreachable for the agents), {@link
 * #restore()} brings it back.
 */
public final class ApiRelay implements AutoCloseable {
  private final Segment lan;
  private final int port;
  private final Path socket;
  private final Path dir;
  private final List<String> hosts = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private Process root;

  public ApiRelay(Segment lan, int port, Path dir) throws IOException {
    this.lan = lan;
    this.port = port;
    this.dir = dir;
    this.socket = dir.resolve("apiserver.sock");
    restoreRoot();
  }

  private void restoreRoot() throws IOException {
    Files.deleteIfExists(socket);
    root =
        new ProcessBuilder(
                ExternalTools.require("socat"),
                "UNIX-LISTEN:" + socket + ",fork",
                "TCP:127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("relay.log").toFile()))
            .start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.exists(socket)) {
      if (System.nanoTime() > deadline || !root.isAlive()) {
        throw new IOException("socat did not listen on " + socket + " (see relay.log)");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  public void connect(String host) throws IOException {
    hosts.add(host);
    processes.add(
        lan.start(
            host,
            List.of(
                ExternalTools.require("socat"),
                "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
                "UNIX-CONNECT:" + socket),
            dir.resolve("relay-" + host + ".log")));
  }

  /** The API server becomes unreachable from every connected host. */
  public void cut() throws InterruptedException {
    List<ProcessHandle> forwarding = root.descendants().toList();
    root.destroy();
    root.waitFor();
    forwarding.forEach(ProcessHandle::destroyForcibly);
  }

  public void restore() throws IOException {
    restoreRoot();
  }

  @Override
  public void close() {
    root.descendants().forEach(ProcessHandle::destroyForcibly);
    root.destroyForcibly();
    processes.forEach(Process::destroyForcibly);
  }
}
