package dev.vrrp.agent.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens a TCP connection and closes it again; connecting within the timeout is healthy. */
final class TcpProbe implements Probe {
  private final String host;
  private final int port;
  private final Duration timeout;

  TcpProbe(String host, int port, Duration timeout) {
    if (host == null || port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "a tcp check needs a host and a port 1-65535, got " + host + ":" + port);
    }
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  @Override
  public ProbeResult probe() {
    String target = host + ":" + port;
    // Resolving a name is not bounded by the connect timeout; the tracker's deadline covers a
    // hanging resolver.
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      return ProbeResult.failed("unknown host " + host);
    }
    try (Socket socket = new Socket()) {
      socket.connect(address, (int) Math.max(1, timeout.toMillis()));
      return ProbeResult.ok("connected to " + target);
    } catch (IOException e) {
      return ProbeResult.failed(target + ": " + Failures.describe(e, timeout));
    }
  }
}
