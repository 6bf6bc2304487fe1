package dev.vrrp.agent.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vrrp.api.http.HttpEndpoints;
import dev.vrrp.api.http.HttpEndpoints.Reply;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's HTTP face: /metrics (Prometheus), /healthz (liveness: the process answers), /readyz
 * (readiness: it can run VRRP at all, see {@code SelfCheck}), /state (JSON per instance).
 */
public final class AdminServer implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);
  private final HttpEndpoints endpoints;

  /**
   * @param notReady null while the agent can do its job, else why not
   */
  public AdminServer(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Supplier<List<?>> state,
      Supplier<String> notReady)
      throws IOException {
    endpoints =
        HttpEndpoints.serve(
            address,
            "admin-http",
            1,
            Map.of(
                HttpEndpoints.METRICS,
                () -> Reply.metrics(registry.scrape()),
                HttpEndpoints.HEALTHZ,
                () -> Reply.probe(null),
                HttpEndpoints.READYZ,
                () -> Reply.probe(notReady.get()),
                "/state",
                () -> Reply.json(json(Map.of("instances", state.get())))));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write /state", e);
    }
  }

  public int port() {
    return endpoints.port();
  }

  @Override
  public void close() {
    endpoints.close();
  }
}
