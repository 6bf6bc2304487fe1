package dev.vrrp.operator;

import dev.vrrp.api.AgentDefaults;
import dev.vrrp.operator.agents.AgentDaemonSet;
import dev.vrrp.operator.plan.VridRange;
import java.time.Duration;
import java.util.Objects;

/**
 * How the operator runs.
 *
 * @param namespace the operator's namespace: the agent DaemonSet and the leader-election Lease live
 *     there
 * @param agentImage the node-agent image
 * @param identity this replica's name for leader election and Events (the pod name)
 * @param agentHeartbeat how often agents refresh their status entries
 * @param heartbeatWindow after how long without a heartbeat a node's entry counts as Unknown
 * @param resync the longest time between two reconciles of a VirtualIP
 * @param releaseTimeout how long a deleted VirtualIP waits for agents to release its addresses
 * @param agentGracePeriod the agents' terminationGracePeriodSeconds
 * @param workers concurrent reconciles
 * @param leaderElection whether to elect a leader (off only for tests and single-replica debugging)
 * @param exitOnLostLeadership whether losing the lease ends the process (JOSDK default; off in
 *     tests)
 * @param virtualRouterIds the VRIDs to allocate from
 */
public record OperatorSettings(
    String namespace,
    String agentImage,
    String identity,
    Duration agentHeartbeat,
    Duration heartbeatWindow,
    Duration resync,
    Duration releaseTimeout,
    Duration agentGracePeriod,
    int workers,
    boolean leaderElection,
    boolean exitOnLostLeadership,
    VridRange virtualRouterIds) {

  /**
   * The leader-election Lease in the operator's namespace. Not {@link
   * dev.vrrp.operator.meta.Manager#NAME} though it has the same value: the chart grants the
   * operator this one Lease by name ({@code vrrp-operator.leaseName} in the chart's _helpers.tpl,
   * checked against this constant by the chart's tests), so it changes with the chart's RBAC, not
   * with the name the operator writes under.
   */
  public static final String LEASE_NAME = "vrrp-operator";

  public OperatorSettings {
    Objects.requireNonNull(namespace, "namespace");
    agentImage =
        agentImage == null || agentImage.isBlank() ? AgentDaemonSet.DEFAULT_IMAGE : agentImage;
    agentHeartbeat = agentHeartbeat == null ? AgentDefaults.heartbeat() : agentHeartbeat;
    heartbeatWindow = heartbeatWindow == null ? agentHeartbeat.multipliedBy(3) : heartbeatWindow;
    resync = resync == null ? Duration.ofSeconds(10) : resync;
    releaseTimeout = releaseTimeout == null ? Duration.ofSeconds(60) : releaseTimeout;
    agentGracePeriod = agentGracePeriod == null ? Duration.ofSeconds(30) : agentGracePeriod;
    workers = workers <= 0 ? 16 : workers;
    virtualRouterIds = virtualRouterIds == null ? VridRange.ALL : virtualRouterIds;
  }

  /** Defaults for everything but the namespace. */
  static OperatorSettings defaults(String namespace) {
    return new OperatorSettings(
        namespace, null, null, null, null, null, null, null, 0, true, true, null);
  }

  AgentDaemonSet.Settings daemonSet() {
    return new AgentDaemonSet.Settings(namespace, agentImage, agentHeartbeat, agentGracePeriod);
  }

  OperatorSettings withHeartbeatWindow(Duration window) {
    return new OperatorSettings(
        namespace,
        agentImage,
        identity,
        agentHeartbeat,
        window,
        resync,
        releaseTimeout,
        agentGracePeriod,
        workers,
        leaderElection,
        exitOnLostLeadership,
        virtualRouterIds);
  }

  OperatorSettings withReleaseTimeout(Duration timeout) {
    return new OperatorSettings(
        namespace,
        agentImage,
        identity,
        agentHeartbeat,
        heartbeatWindow,
        resync,
        timeout,
        agentGracePeriod,
        workers,
        leaderElection,
        exitOnLostLeadership,
        virtualRouterIds);
  }

  OperatorSettings withIdentity(String id) {
    return new OperatorSettings(
        namespace,
        agentImage,
        id,
        agentHeartbeat,
        heartbeatWindow,
        resync,
        releaseTimeout,
        agentGracePeriod,
        workers,
        leaderElection,
        exitOnLostLeadership,
        virtualRouterIds);
  }

  OperatorSettings withExitOnLostLeadership(boolean exit) {
    return new OperatorSettings(
        namespace,
        agentImage,
        identity,
        agentHeartbeat,
        heartbeatWindow,
        resync,
        releaseTimeout,
        agentGracePeriod,
        workers,
        leaderElection,
        exit,
        virtualRouterIds);
  }
}
