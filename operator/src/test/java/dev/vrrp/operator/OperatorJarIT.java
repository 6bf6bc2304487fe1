package dev.vrrp.operator;

import static dev.vrrp.operator.Cluster.create;
import static dev.vrrp.operator.Cluster.get;
import static dev.vrrp.operator.Cluster.node;
import static dev.vrrp.operator.Cluster.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vrrp.lab.SharedApiServer;
import dev.vrrp.operator.agents.AgentDaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code target/operator.jar} as the image runs it: configured by environment only, it
 * reconciles, serves /healthz and /metrics, and stops promptly on SIGTERM.
 */
@Tag("integration")
class OperatorJarIT {
  @RegisterExtension static final SharedApiServer API = new SharedApiServer();
  static KubernetesClient client;
  @TempDir Path dir;

  @Test
  void theJarRunsFromTheEnvironmentAndStopsOnSigterm() throws Exception {
    Path jar = Path.of("target", "operator.jar");
    assertThat(jar).as("built by the package phase").isRegularFile();
    client = API.client();
    Cluster.installCrd(client);
    Cluster.createNamespace(client, "vrrp-jar");
    Path config = Files.writeString(dir.resolve("kubeconfig"), API.server().kubeconfigYaml());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(java.toString(), "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("operator.log").toFile());
    builder
        .environment()
        .putAll(
            Map.of(
                "KUBECONFIG",
                config.toString(),
                "OPERATOR_NAMESPACE",
                "vrrp-jar",
                "HTTP_ADDRESS",
                "127.0.0.1:" + port,
                "POD_NAME",
                "jar-it",
                "AGENT_IMAGE",
                "example.test/agent:9"));
    Process process = builder.start();
    try {
      node(client, "jar-1", "group", "jar");
      create(client, vip("jar", Map.of("group", "jar"), "198.51.100.99/24"));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                var v = get(client, "jar");
                return v.getStatus() != null && v.getStatus().getVirtualRouterId() != null;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  client
                          .apps()
                          .daemonSets()
                          .inNamespace("vrrp-jar")
                          .withName(AgentDaemonSet.NAME)
                          .get()
                      != null);
      assertThat(
              client
                  .apps()
                  .daemonSets()
                  .inNamespace("vrrp-jar")
                  .withName(AgentDaemonSet.NAME)
                  .get()
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getImage())
          .isEqualTo("example.test/agent:9");

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains(
              "vrrp_operator_reconcile_seconds_count",
              "vrrp_operator_leader 1.0",
              "vrrp_operator_virtualips_installed",
              "jvm_memory_used_bytes",
              // no agent runs here: the VirtualIP waits for one, and its series say so
              "vrrp_virtualip_condition{reason=\"AwaitingAgents\",status=\"Unknown\",type=\"Ready\",virtualip=\"jar\"} 1.0",
              "vrrp_virtualip_master_changes_total{virtualip=\"jar\"} 0.0");
    } finally {
      long stopping = System.nanoTime();
      process.destroy(); // SIGTERM
      boolean exited = process.waitFor(20, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      System.out.println(String.join("\n", Files.readAllLines(dir.resolve("operator.log"))));
      assertThat(exited).as("stops on SIGTERM within 20 s").isTrue();
      System.out.printf(
          "operator.jar stopped %.1f s after SIGTERM%n", (System.nanoTime() - stopping) / 1e9);
    }
    assertThat(List.of(process.exitValue())).isNotEmpty();
  }
}
