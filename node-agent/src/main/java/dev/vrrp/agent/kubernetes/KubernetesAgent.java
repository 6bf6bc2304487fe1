package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.loop.Instances;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes mode: watches the VirtualIPs and Nodes ({@link ClusterWatch}), runs one VRRP instance
 * per VirtualIP that plans this node ({@link AgentReconciler} on one {@link Worker} thread) and
 * writes this node's status entries ({@link StatusReporter}). The VRRP loops never wait for any of
 * it, so an unreachable API server changes nothing on the wire.
 */
public final class KubernetesAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesAgent.class);
  private final ClusterWatch watch;
  private final StatusReporter reporter;
  private final Worker worker;
  private final AgentReconciler reconciler;

  /**
   * @param namespace the agent's own namespace (where the chart lets it read Secrets), or null
   * @param stateDir where this node's plan is kept for a restart during an API outage, or null
   */
  public KubernetesAgent(
      KubernetesClient client,
      String nodeName,
      String namespace,
      Path stateDir,
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
    SavedPlan plan = stateDir == null ? null : new SavedPlan(stateDir, nodeName);
    ResumableCluster cluster =
        new ResumableCluster(watch, new HostLookups(client, namespace), load(plan), clock);
    this.reconciler =
        new AgentReconciler(
            nodeName, cluster, cluster, instances, reporter, worker, clock, heartbeat);
    reconciler.keepPlan(plan, cluster);
    failures.set(reconciler);
  }

  private static SavedPlan.Snapshot load(SavedPlan plan) {
    if (plan == null) {
      return null;
    }
    try {
      return plan.load().orElse(null);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the saved plan {}: {}; starting without it", plan.file(), e.toString());
      return null;
    }
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

  /** Null once this node runs its plan; until then why not (the readiness probe says it). */
  public String notReady() {
    return reconciler.decidedOnce()
        ? null
        : "waiting for the first list of VirtualIPs and Nodes (or a saved plan)";
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
