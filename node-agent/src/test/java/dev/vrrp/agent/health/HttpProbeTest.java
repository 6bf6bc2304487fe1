package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final CountDownLatch releaseSlowAnswer = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/ok", exchange -> answer(exchange, 200));
    server.createContext("/unavailable", exchange -> answer(exchange, 503));
    server.createContext(
        "/moved",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "/ok");
          answer(exchange, 302);
        });
    server.createContext(
        "/slow",
        exchange -> {
          try {
            releaseSlowAnswer.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          answer(exchange, 200);
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stopServer() {
    releaseSlowAnswer.countDown();
    server.stop(0);
  }

  @Test
  void twoHundredIsHealthy() throws Exception {
    assertThat(probe("/ok", TIMEOUT)).isEqualTo(ProbeResult.ok("HTTP 200"));
  }

  @Test
  void fiveHundredThreeFails() throws Exception {
    assertThat(probe("/unavailable", TIMEOUT)).isEqualTo(ProbeResult.failed("HTTP 503"));
  }

  @Test
  void aRedirectIsNotFollowedAndFails() throws Exception {
    assertThat(probe("/moved", TIMEOUT)).isEqualTo(ProbeResult.failed("HTTP 302"));
  }

  @Test
  void noAnswerWithinTheTimeoutFails() throws Exception {
    long start = System.nanoTime();

    ProbeResult result = probe("/slow", Duration.ofMillis(300));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(result).isEqualTo(ProbeResult.failed("no answer within 300ms"));
  }

  @Test
  void aClosedPortFails() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + closedPort + "/");

    assertThat(new HttpProbe(url, TIMEOUT).probe())
        .isEqualTo(ProbeResult.failed("connection refused"));
  }

  private ProbeResult probe(String path, Duration timeout) throws InterruptedException {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return new HttpProbe(url, timeout).probe();
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }
}
