package dev.vrrp.api.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few GET endpoints, each a function of nothing that returns a {@link Reply}, on the JDK's HTTP
 * server with daemon threads. An endpoint that throws answers 500 with the reason, and the line is
 * logged; the server never dies of it.
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

  /** Liveness: 200 while the process answers. */
  public static final String HEALTHZ = "/healthz";

  /** Readiness: 200 while the process can do its job, else 503 with the reason. */
  public static final String READYZ = "/readyz";

  /** Prometheus' scrape. */
  public static final String METRICS = "/metrics";

  /** What an endpoint answers. */
  public record Reply(int status, String contentType, String body) {
    public static Reply text(int status, String body) {
      return new Reply(status, "text/plain; charset=utf-8", body);
    }

    /** Prometheus' text exposition format. */
    public static Reply metrics(String scrape) {
      return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", scrape);
    }

    public static Reply json(String body) {
      return new Reply(200, "application/json", body);
    }

    /** 200 "ok" when {@code problem} is null, else 503 with it: a probe's answer. */
    public static Reply probe(String problem) {
      return problem == null ? text(200, "ok\n") : text(503, problem + "\n");
    }
  }

  private final HttpServer server;
  private final ExecutorService threads;

  private HttpEndpoints(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Starts serving {@code endpoints} (path to reply) on {@code address}; port 0 picks a free one.
   */
  public static HttpEndpoints serve(
      InetSocketAddress address,
      String threadName,
      int threadCount,
      Map<String, Supplier<Reply>> endpoints)
      throws IOException {
    InetSocketAddress bind =
        address.isUnresolved()
            ? new InetSocketAddress(address.getHostString(), address.getPort())
            : address;
    HttpServer server = HttpServer.create(bind, 16);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            threadCount,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    new LinkedHashMap<>(endpoints)
        .forEach((path, endpoint) -> server.createContext(path, ex -> answer(ex, endpoint)));
    server.start();
    return new HttpEndpoints(server, threads);
  }

  private static void answer(HttpExchange ex, Supplier<Reply> endpoint) throws IOException {
    Reply reply;
    try {
      reply = endpoint.get();
    } catch (RuntimeException | Error e) {
      LOG.error("{} failed", ex.getRequestURI(), e);
      reply = Reply.text(500, "internal error: " + e + "\n");
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", reply.contentType());
    ex.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
