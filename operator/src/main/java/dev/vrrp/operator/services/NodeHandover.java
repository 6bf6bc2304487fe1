package dev.vrrp.operator.services;

import dev.vrrp.api.v1alpha1.LoadBalancers;
import dev.vrrp.api.v1alpha1.NodeStatus;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.NodeState;
import dev.vrrp.operator.meta.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes a Service's VirtualIP may use ({@code spec.nodeNames}), step by step, so that the
 * address never moves to a node without a ready endpoint and the master hands over instead of dying
 * (pure). With {@code externalTrafficPolicy: Local} the wanted nodes are those with a ready
 * endpoint; with {@code Cluster}, every node (unset).
 *
 * <p>When the master's node loses its endpoint while others have one, dropping it at once would
 * leave the new nodes to start from nothing: their instances begin as backups and wait out the
 * master-down interval. So the master stays in the list with the new nodes (make before break, the
 * start time in the {@link LoadBalancers#HANDOVER_ANNOTATION} annotation, so a new leader goes on
 * where the last stopped) until one of them reports BACKUP; then it is dropped, and its agent
 * resigns with priority 0: the backup takes over after its skew time. A new node that never reports
 * ends the wait after {@link #TIMEOUT}. With no ready endpoint anywhere the list is empty: no node
 * holds the address, which stays the Service's.
 */
final class NodeHandover {
  /** How long the master without an endpoint waits for a new node to report BACKUP. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** How recent a new node's BACKUP entry must be to count (three agent heartbeats). */
  static final Duration ENTRY_WINDOW = Duration.ofSeconds(30);

  /**
   * A change to write: the new {@code spec.nodeNames} (null: unset, every node) and the handover
   * start to record (null: none, the annotation goes).
   */
  record Step(List<String> nodeNames, Instant handoverSince) {}

  private NodeHandover() {}

  /**
   * The next change for {@code vip}, or empty when it is where it should be or waits for a new node
   * to report.
   *
   * @param wanted the nodes with a ready endpoint, or null for every node
   */
  static Optional<Step> next(VirtualIP vip, Set<String> wanted, Instant now) {
    List<String> current = vip.getSpec() == null ? null : vip.getSpec().getNodeNames();
    Optional<Instant> since = since(vip);
    if (wanted == null) {
      return current == null && since.isEmpty()
          ? Optional.empty()
          : Optional.of(new Step(null, null));
    }
    List<String> target = List.copyOf(new TreeSet<>(wanted));
    String master = vip.getStatus() == null ? null : vip.getStatus().getMaster();
    if (master == null || wanted.contains(master) || wanted.isEmpty()) {
      return sameNodes(current, target) && since.isEmpty()
          ? Optional.empty()
          : Optional.of(new Step(target, null));
    }
    TreeSet<String> bridge = new TreeSet<>(wanted);
    bridge.add(master);
    if (!sameNodes(current, List.copyOf(bridge)) || since.isEmpty()) {
      return Optional.of(new Step(List.copyOf(bridge), since.orElse(now)));
    }
    boolean backupReady =
        vip.getStatus().getNodes().stream()
            .anyMatch(e -> wanted.contains(e.getName()) && reportsBackup(e, now));
    if (backupReady || !since.get().plus(TIMEOUT).isAfter(now)) {
      return Optional.of(new Step(target, null));
    }
    return Optional.empty();
  }

  /** When the running handover began, if one runs. */
  static Optional<Instant> since(VirtualIP vip) {
    Map<String, String> annotations = vip.getMetadata().getAnnotations();
    return annotations == null
        ? Optional.empty()
        : Timestamps.parse(annotations.get(LoadBalancers.HANDOVER_ANNOTATION));
  }

  private static boolean reportsBackup(NodeStatus entry, Instant now) {
    return NodeState.BACKUP.is(entry.getState())
        && Timestamps.parse(entry.getHeartbeatTime())
            .map(t -> t.plus(ENTRY_WINDOW).isAfter(now))
            .orElse(false);
  }

  private static boolean sameNodes(List<String> current, List<String> target) {
    return current != null && Objects.equals(new TreeSet<>(current), new TreeSet<>(target));
  }
}
