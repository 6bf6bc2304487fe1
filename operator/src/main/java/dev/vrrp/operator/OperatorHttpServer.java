package dev.vrrp.operator;

import dev.vrrp.api.http.HttpEndpoints;
import dev.vrrp.api.http.HttpEndpoints.Reply;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * /healthz (200 while the operator's informers are healthy, 503 otherwise) and /metrics
 * (Prometheus).
 */
final class OperatorHttpServer implements AutoCloseable {
  private final HttpEndpoints endpoints;

  OperatorHttpServer(
      InetSocketAddress address, PrometheusMeterRegistry registry, BooleanSupplier healthy)
      throws IOException {
    endpoints =
        HttpEndpoints.serve(
            address,
            "http",
            2,
            Map.of(
                HttpEndpoints.HEALTHZ,
                    () -> Reply.probe(healthy.getAsBoolean() ? null : "informers unhealthy"),
                HttpEndpoints.METRICS, () -> Reply.metrics(registry.scrape())));
  }

  int port() {
    return endpoints.port();
  }

  @Override
  public void close() {
    endpoints.close();
  }
}
