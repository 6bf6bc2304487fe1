package dev.vrrp.agent.cli;

import dev.vrrp.agent.admin.AdminServer;
import dev.vrrp.agent.kubernetes.AgentClient;
import dev.vrrp.agent.kubernetes.KubernetesAgent;
import dev.vrrp.agent.loop.NodeAgent;
import dev.vrrp.agent.net.SelfCheck;
import dev.vrrp.api.AgentDefaults;
import dev.vrrp.api.text.Durations;
import dev.vrrp.api.text.HostPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code node-agent kubernetes}: the DaemonSet's command. The node comes from NODE_NAME (downward
 * API).
 */
@Command(
    name = "kubernetes",
    mixinStandardHelpOptions = true,
    description = "Run every VirtualIP that selects this node (NODE_NAME) and report its status.")
final class KubernetesCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesCommand.class);

  @Option(
      names = "--node",
      defaultValue = "${env:NODE_NAME}",
      description = "node name (default: $NODE_NAME)")
  String node;

  @Option(
      names = "--namespace",
      defaultValue = "${env:POD_NAMESPACE}",
      description = "the agent's namespace, where it may read Secrets (default: $POD_NAMESPACE)")
  String namespace;

  @Option(
      names = "--state-dir",
      defaultValue = "${env:STATE_DIR:-/run/vrrp-agent}",
      description =
          "where this node's plan is kept, so that an agent restarted while the API server is "
              + "unreachable resumes it (default: $STATE_DIR or ${DEFAULT-VALUE}; in memory, a hostPath)")
  Path stateDir;

  @Option(
      names = "--admin-address",
      defaultValue = "${env:ADMIN_ADDRESS:-0.0.0.0:9477}",
      description = "HTTP /metrics, /healthz, /state (default: $ADMIN_ADDRESS or 0.0.0.0:9477)")
  String adminAddress;

  @Option(
      names = "--heartbeat",
      defaultValue = "${env:HEARTBEAT:-" + AgentDefaults.HEARTBEAT + "}",
      description = "how often the status entry is refreshed (default ${DEFAULT-VALUE})")
  String heartbeat;

  @Override
  public Integer call() throws Exception {
    if (node == null || node.isBlank()) {
      System.err.println(
          "node-agent kubernetes: NODE_NAME is not set (the DaemonSet sets it from spec.nodeName)");
      return 2;
    }
    Duration beat = Durations.tryParse(heartbeat).orElse(null);
    if (beat == null) {
      System.err.println("--heartbeat: " + Durations.problem(heartbeat));
      return 2;
    }
    HostPort adminHostPort = HostPort.tryParse(adminAddress).orElse(null);
    if (adminHostPort == null) {
      System.err.println("--admin-address: " + HostPort.problem(adminAddress));
      return 2;
    }
    InetSocketAddress admin = new InetSocketAddress(adminHostPort.host(), adminHostPort.port());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SelfCheck selfCheck = new SelfCheck();
    NodeAgent agent = NodeAgent.onThisHost(registry, selfCheck);
    KubernetesClient client = AgentClient.create();
    KubernetesAgent kubernetes =
        new KubernetesAgent(client, node, namespace, stateDir, agent, Clock.systemUTC(), beat);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping: resigning every master with priority 0");
                  kubernetes.stopWatching();
                  agent.shutdown();
                  kubernetes.close(); // writes the resigned entries
                  agent.close();
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    try (AdminServer server =
        new AdminServer(
            admin,
            registry,
            () -> new ArrayList<>(agent.status()),
            () -> selfCheck.ready() ? kubernetes.notReady() : selfCheck.reason())) {
      kubernetes.start();
      LOG.info("node {}: watching VirtualIPs; admin on port {}", node, server.port());
      stopped.await();
    }
    return 0;
  }
}
