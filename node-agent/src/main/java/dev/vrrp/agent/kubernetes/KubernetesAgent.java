package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.loop.Instances;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kubernetes mode: watches the VirtualIPs and Nodes ({@link ClusterWatch}), runs one VRRP instance
 * per VirtualIP that plans this node ({@link AgentReconciler} on one {@link Worker} thread) and
 * writes this node's status entries ({@link StatusReporter}). The VRRP loops never wait for any of
 * it, so an unreachable API server changes nothing on the wire.
 */
public final class KubernetesAgent implements AutoCloseable {
  private final ClusterWatch watch;
  private final StatusReporter reporter;
  private final Worker worker;
  private final AgentReconciler reconciler;

  /**
   * @param namespace the agent's own namespace (where the chart lets it read Secrets), or null
   */
  public KubernetesAgent(
      KubernetesClient client,
      String nodeName,
      String namespace,
      Instances instances,
      Clock clock,
      Duration heartbeat) {
    this.watch = new ClusterWatch(client);
    this.reporter = new StatusReporter(client, nodeName);
    AtomicReference<AgentReconciler> failures = new AtomicReference<>();
    this.worker =
        new Worker(
            "kubernetes",
            (what, t) -> {
              AgentReconciler r = failures.get();
              if (r != null) {
                r.taskFailed(what, t);
              }
            });
    this.reconciler =
        new AgentReconciler(
            nodeName,
            watch,
            new HostLookups(client, namespace),
            instances,
            reporter,
            worker,
            clock,
            heartbeat);
    failures.set(reconciler);
  }

  public void start() {
    watch.start(
        new ClusterWatch.Listener() {
          @Override
          public void virtualIpChanged(String name) {
            reconciler.virtualIpChanged(name);
          }

          @Override
          public void nodesChanged() {
            reconciler.nodesChanged();
          }
        });
    reconciler.start();
  }

  /**
   * First step of a graceful stop: no more watching or deciding, so nothing starts an instance
   * while the agent resigns. Transitions are still reported.
   */
  public void stopWatching() {
    reconciler.stop();
    watch.close();
  }

  /**
   * Last step of a graceful stop, after the instances resigned: their entries are written, then it
   * ends.
   */
  @Override
  public void close() {
    stopWatching();
    worker.close();
    reporter.close();
  }
}
