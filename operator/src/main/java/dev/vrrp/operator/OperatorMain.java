package dev.vrrp.operator;

import dev.vrrp.api.AgentDefaults;
import dev.vrrp.api.ClientSerialization;
import dev.vrrp.api.text.Durations;
import dev.vrrp.api.text.HostPort;
import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.VirtualIPPool;
import dev.vrrp.operator.agents.AgentDaemonSet;
import dev.vrrp.operator.plan.VridRange;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vrrp-operator}: the operator's entry point. Every option has an environment variable,
 * which is how the Deployment configures it.
 */
@Command(
    name = "vrrp-operator",
    mixinStandardHelpOptions = true,
    version = "vrrp-operator 0.1.0",
    description =
        "Allocates VRIDs, ranks nodes, runs the node-agent DaemonSet and reports VirtualIP status.")
public final class OperatorMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Option(
      names = "--namespace",
      defaultValue = "${env:OPERATOR_NAMESPACE}",
      description =
          "the operator's namespace: agent DaemonSet and leader Lease (default: $OPERATOR_NAMESPACE, "
              + "else the service account's namespace)")
  String namespace;

  @Option(
      names = "--agent-image",
      defaultValue = "${env:AGENT_IMAGE:-" + AgentDaemonSet.DEFAULT_IMAGE + "}",
      description = "node-agent image (default: $AGENT_IMAGE or ${DEFAULT-VALUE})")
  String agentImage;

  @Option(
      names = "--http-address",
      defaultValue = "${env:HTTP_ADDRESS:-0.0.0.0:8080}",
      description = "/healthz and /metrics (default: $HTTP_ADDRESS or ${DEFAULT-VALUE})")
  String httpAddress;

  @Option(
      names = "--identity",
      defaultValue = "${env:POD_NAME}",
      description = "leader-election identity (default: $POD_NAME, else $HOSTNAME)")
  String identity;

  @Option(
      names = "--agent-heartbeat",
      defaultValue = "${env:AGENT_HEARTBEAT:-" + AgentDefaults.HEARTBEAT + "}",
      description = "how often agents refresh their status entries (default ${DEFAULT-VALUE})")
  String agentHeartbeat;

  @Option(
      names = "--heartbeat-window",
      defaultValue = "${env:HEARTBEAT_WINDOW}",
      description =
          "an entry older than this is Unknown (default: "
              + OperatorSettings.HEARTBEATS_PER_WINDOW
              + " x --agent-heartbeat)")
  String heartbeatWindow;

  @Option(
      names = "--resync",
      defaultValue = "${env:RESYNC_INTERVAL:-" + OperatorSettings.DEFAULT_RESYNC + "}",
      description = "longest time between two reconciles of a VirtualIP (default ${DEFAULT-VALUE})")
  String resync;

  @Option(
      names = "--release-timeout",
      defaultValue = "${env:RELEASE_TIMEOUT:-" + OperatorSettings.DEFAULT_RELEASE_TIMEOUT + "}",
      description =
          "how long a deleted VirtualIP waits for agents to release it (default ${DEFAULT-VALUE})")
  String releaseTimeout;

  @Option(
      names = "--agent-grace-period",
      defaultValue = "${env:AGENT_GRACE_PERIOD:-" + AgentDaemonSet.DEFAULT_GRACE_PERIOD + "}",
      description = "agents' terminationGracePeriodSeconds (default ${DEFAULT-VALUE})")
  String agentGracePeriod;

  @Option(
      names = "--operator-deployment",
      defaultValue = "${env:OPERATOR_DEPLOYMENT}",
      description =
          "the operator's own Deployment, made owner of the agents' DaemonSet so that deleting the "
              + "operator removes the agents and their addresses (default: $OPERATOR_DEPLOYMENT, "
              + "else no owner)")
  String operatorDeployment;

  @Option(
      names = "--label-namespace",
      negatable = true,
      defaultValue = "${env:LABEL_NAMESPACE:-false}",
      fallbackValue = "true",
      description =
          "label the operator's namespace pod-security.kubernetes.io/enforce=privileged, the level "
              + "the agents need (default: $LABEL_NAMESPACE, else off)")
  boolean labelNamespace;

  @Option(
      names = "--workers",
      defaultValue = "${env:RECONCILE_WORKERS:-" + OperatorSettings.DEFAULT_WORKERS + "}",
      description = "concurrent reconciles (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--virtual-router-ids",
      defaultValue = "${env:VIRTUAL_ROUTER_IDS:-" + VridRange.ALL_TEXT + "}",
      description =
          "VRIDs to allocate from, e.g. 50-255 when routers on the segment use lower ones; explicit "
              + "spec.virtualRouterId may lie outside (default ${DEFAULT-VALUE})")
  String virtualRouterIds;

  @Option(
      names = "--load-balancers",
      negatable = true,
      defaultValue = "${env:LOAD_BALANCERS:-true}",
      fallbackValue = "true",
      description =
          "give LoadBalancer Services of class "
              + LoadBalancers.CLASS
              + " addresses from the VirtualIPPools (default: $LOAD_BALANCERS, else on)")
  boolean loadBalancers;

  @Option(
      names = "--load-balancer-default-class",
      negatable = true,
      defaultValue = "${env:LOAD_BALANCER_DEFAULT_CLASS:-false}",
      fallbackValue = "true",
      description =
          "serve LoadBalancer Services without spec.loadBalancerClass too (default:"
              + " $LOAD_BALANCER_DEFAULT_CLASS, else off)")
  boolean loadBalancerDefaultClass;

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "elect a leader among replicas (default on)")
  boolean leaderElection;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String ns = namespace;
    if ((ns == null || ns.isBlank()) && Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
      ns = Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
    }
    if (ns == null || ns.isBlank()) {
      System.err.println(
          "vrrp-operator: set OPERATOR_NAMESPACE (the Deployment sets it from metadata.namespace)");
      return 2;
    }
    OperatorSettings settings;
    InetSocketAddress http;
    try {
      AgentDaemonSet.Settings agents =
          new AgentDaemonSet.Settings(
              ns,
              agentImage,
              duration("--agent-heartbeat", agentHeartbeat),
              duration("--agent-grace-period", agentGracePeriod),
              operatorDeployment == null || operatorDeployment.isBlank()
                  ? null
                  : operatorDeployment,
              labelNamespace);
      settings =
          new OperatorSettings(
              agents,
              identity,
              heartbeatWindow == null || heartbeatWindow.isBlank()
                  ? null
                  : duration("--heartbeat-window", heartbeatWindow),
              duration("--resync", resync),
              duration("--release-timeout", releaseTimeout),
              workers,
              leaderElection,
              true,
              VridRange.parse(virtualRouterIds),
              new OperatorSettings.LoadBalancerSettings(loadBalancers, loadBalancerDefaultClass));
      HostPort address =
          HostPort.tryParse(httpAddress)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--http-address: " + HostPort.problem(httpAddress)));
      http = new InetSocketAddress(address.host(), address.port());
    } catch (IllegalArgumentException e) {
      System.err.println("vrrp-operator: " + e.getMessage());
      return 2;
    }

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    KubernetesClient client =
        new KubernetesClientBuilder()
            .withKubernetesSerialization(ClientSerialization.withoutManagedFields())
            .build();
    VirtualIpOperator operator =
        new VirtualIpOperator(client, settings, registry, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    try (OperatorHttpServer server = new OperatorHttpServer(http, registry, operator::healthy)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    LOG.info("stopping");
                    operator.close();
                    client.close();
                    stopped.countDown();
                  },
                  "shutdown"));
      if (settings.loadBalancers().enabled() && !poolsServed(client)) {
        return 2;
      }
      operator.start();
      LOG.info("/healthz and /metrics on port {}", server.port());
      stopped.await();
    }
    return 0;
  }

  /**
   * Whether the API server serves VirtualIPPools; when not, says why and what to do. Helm installs
   * a chart's crds/ on the first install only, so an upgrade from a version without pools brings an
   * operator whose pool informer would fail to start with a bare 404.
   */
  private static boolean poolsServed(KubernetesClient client) {
    try {
      client.resources(VirtualIPPool.class).list(new ListOptionsBuilder().withLimit(1L).build());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      LOG.error(
          "the API server does not serve virtualippools.vrrp.dev (the VirtualIPPool CRD is not"
              + " installed): apply the chart's CRDs (kubectl apply --server-side -f"
              + " charts/vrrp-operator/crds/; helm does not upgrade them), or run without the"
              + " LoadBalancer Service controller (services.enabled=false, LOAD_BALANCERS=false)");
      return false;
    }
  }

  private static Duration duration(String option, String text) {
    return Durations.tryParse(text)
        .orElseThrow(() -> new IllegalArgumentException(option + ": " + Durations.problem(text)));
  }

  public static void main(String[] args) {
    // a thread that dies of a Throwable says so in the log, not only on a stderr nobody reads
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, failure) -> LOG.error("thread {} died", thread.getName(), failure));
    int code = new CommandLine(new OperatorMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
