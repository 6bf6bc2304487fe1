package dev.vrrp.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OperatorHttpServerTest {
  @Test
  void healthzFollowsTheOperatorAndMetricsArePrometheusText() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorMetrics metrics = new OperatorMetrics(registry);
    metrics.reconciled(Duration.ofMillis(3));
    metrics.event("Warning", "SplitBrain");
    AtomicBoolean healthy = new AtomicBoolean(true);
    try (OperatorHttpServer server =
        new OperatorHttpServer(new InetSocketAddress("127.0.0.1", 0), registry, healthy::get)) {
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + server.port());
      assertThat(
              http.send(
                      HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      healthy.set(false);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(503);
      String body =
          http.send(
                  HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body)
          .contains(
              "vrrp_operator_reconcile_seconds_count 1",
              "vrrp_operator_events_total{reason=\"SplitBrain\",type=\"Warning\"} 1.0");
    }
  }
}
