package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpProbeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Test
  void aListeningPortIsHealthy() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();

      assertThat(new TcpProbe("127.0.0.1", port, TIMEOUT).probe())
          .isEqualTo(ProbeResult.ok("connected to 127.0.0.1:" + port));
    }
  }

  @Test
  void aClosedPortFails() throws Exception {
    int port;
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      port = server.getLocalPort();
    }

    assertThat(new TcpProbe("127.0.0.1", port, TIMEOUT).probe())
        .isEqualTo(ProbeResult.failed("127.0.0.1:" + port + ": connection refused"));
  }

  @Test
  void needsAHostAndAPort() {
    assertThatThrownBy(() -> new TcpProbe(null, 80, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TcpProbe("127.0.0.1", 0, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
