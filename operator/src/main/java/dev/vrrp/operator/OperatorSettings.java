package dev.vrrp.operator;

import dev.vrrp.api.text.Durations;
import dev.vrrp.operator.agents.AgentDaemonSet;
import dev.vrrp.operator.plan.VridRange;
import java.time.Duration;
import java.util.Objects;

/**
 * How the operator runs.
 *
 * @param agents the agents' DaemonSet: namespace (the operator's own; the DaemonSet and the
 *     leader-election Lease live there), image, heartbeat, grace period, owner, namespace labels
 * @param identity this replica's name for leader election and Events (the pod name)
 * @param heartbeatWindow after how long without a heartbeat a node's entry counts as Unknown
 *     (default {@value #HEARTBEATS_PER_WINDOW} agent heartbeats)
 * @param resync the longest time between two reconciles of a VirtualIP
 * @param releaseTimeout how long a deleted VirtualIP waits for agents to release its addresses
 * @param workers concurrent reconciles
 * @param leaderElection whether to elect a leader (off only for tests and single-replica debugging)
 * @param exitOnLostLeadership whether losing the lease ends the process (JOSDK default; off in
 *     tests)
 * @param virtualRouterIds the VRIDs to allocate from
 * @param loadBalancers whether LoadBalancer Services get addresses from the pools, and whether
 *     Services without a class count as ours
 */
public record OperatorSettings(
    AgentDaemonSet.Settings agents,
    String identity,
    Duration heartbeatWindow,
    Duration resync,
    Duration releaseTimeout,
    int workers,
    boolean leaderElection,
    boolean exitOnLostLeadership,
    VridRange virtualRouterIds,
    LoadBalancerSettings loadBalancers) {

  /**
   * The LoadBalancer Service controller.
   *
   * @param enabled whether it runs (it watches every Service and Namespace of the cluster)
   * @param defaultClass whether a LoadBalancer Service without spec.loadBalancerClass is ours
   */
  public record LoadBalancerSettings(boolean enabled, boolean defaultClass) {
    public static final LoadBalancerSettings DEFAULT = new LoadBalancerSettings(true, false);
  }

  /**
   * The leader-election Lease in the operator's namespace. Not {@link
   * dev.vrrp.api.v1alpha1.OperatorManager#NAME} though it has the same value: the chart grants the
   * operator this one Lease by name ({@code vrrp-operator.leaseName} in the chart's _helpers.tpl,
   * checked against this constant by the chart's tests), so it changes with the chart's RBAC, not
   * with the name the operator writes under.
   */
  public static final String LEASE_NAME = "vrrp-operator";

  /**
   * How long the Lease holds without a renewal: when the leader's node dies, nobody writes the
   * VirtualIPs' summaries (status.master) for this long; the agents' own entries stay current. 8 s,
   * not the Kubernetes components' 15 s: status.master lagged the wire by 15.9-16.4 s with 15 s
   * (benchmarks/results/leader-node-loss.md). A renewal is one small request per {@link
   * #LEASE_RETRY}; the leader gives up after {@link #LEASE_RENEW_DEADLINE} without one, and then
   * exits, so that two replicas never reconcile at once.
   */
  static final Duration LEASE_DURATION = Duration.ofSeconds(8);

  static final Duration LEASE_RENEW_DEADLINE = Duration.ofSeconds(6);
  static final Duration LEASE_RETRY = Duration.ofSeconds(1);

  /**
   * Defaults, written as the command line writes them: {@link OperatorMain}'s options default to
   * these, and so does a setting left null (or, for {@code workers}, not positive) here.
   */
  static final String DEFAULT_RESYNC = "10s";

  static final String DEFAULT_RELEASE_TIMEOUT = "60s";
  static final int DEFAULT_WORKERS = 16;

  /** The heartbeat window, unless set, is this many agent heartbeats. */
  static final int HEARTBEATS_PER_WINDOW = 3;

  public OperatorSettings {
    Objects.requireNonNull(agents, "agents");
    heartbeatWindow =
        heartbeatWindow == null
            ? agents.heartbeat().multipliedBy(HEARTBEATS_PER_WINDOW)
            : heartbeatWindow;
    resync = resync == null ? Durations.parse(DEFAULT_RESYNC) : resync;
    releaseTimeout =
        releaseTimeout == null ? Durations.parse(DEFAULT_RELEASE_TIMEOUT) : releaseTimeout;
    workers = workers <= 0 ? DEFAULT_WORKERS : workers;
    virtualRouterIds = virtualRouterIds == null ? VridRange.ALL : virtualRouterIds;
    loadBalancers = loadBalancers == null ? LoadBalancerSettings.DEFAULT : loadBalancers;
  }

  /** Defaults for everything but the namespace. */
  static OperatorSettings defaults(String namespace) {
    return new OperatorSettings(
        new AgentDaemonSet.Settings(namespace, null, null, null),
        null,
        null,
        null,
        null,
        0,
        true,
        true,
        null,
        null);
  }

  /** The operator's namespace: the agents' DaemonSet and the leader-election Lease live there. */
  public String namespace() {
    return agents.namespace();
  }

  OperatorSettings withHeartbeatWindow(Duration window) {
    return new OperatorSettings(
        agents,
        identity,
        window,
        resync,
        releaseTimeout,
        workers,
        leaderElection,
        exitOnLostLeadership,
        virtualRouterIds,
        loadBalancers);
  }

  OperatorSettings withReleaseTimeout(Duration timeout) {
    return new OperatorSettings(
        agents,
        identity,
        heartbeatWindow,
        resync,
        timeout,
        workers,
        leaderElection,
        exitOnLostLeadership,
        virtualRouterIds,
        loadBalancers);
  }

  OperatorSettings withIdentity(String id) {
    return new OperatorSettings(
        agents,
        id,
        heartbeatWindow,
        resync,
        releaseTimeout,
        workers,
        leaderElection,
        exitOnLostLeadership,
        virtualRouterIds,
        loadBalancers);
  }

  OperatorSettings withExitOnLostLeadership(boolean exit) {
    return new OperatorSettings(
        agents,
        identity,
        heartbeatWindow,
        resync,
        releaseTimeout,
        workers,
        leaderElection,
        exit,
        virtualRouterIds,
        loadBalancers);
  }
}
