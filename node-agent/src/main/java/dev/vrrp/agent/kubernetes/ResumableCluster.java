package dev.vrrp.agent.kubernetes;

import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cluster as the agent decides on it: the informers once they have listed, and before that, if
 * they have not listed within {@link #RESUME_AFTER}, the saved plan of the agent's last run (the
 * API server is unreachable: resume what this node ran rather than nothing). The Secret values the
 * live decisions read are remembered, so a saved plan can hold them.
 */
final class ResumableCluster implements ClusterView, InstancePlan.Lookups {
  /** How long a starting agent waits for its informers before it resumes from the saved plan. */
  static final Duration RESUME_AFTER = Duration.ofSeconds(5);

  private final ClusterView live;
  private final InstancePlan.Lookups host;
  private final Clock clock;
  private final Instant resumeFrom;
  private final SavedPlan.Snapshot saved;
  private final Map<String, VirtualIP> savedVips;
  private final Map<String, Node> savedNodes;
  private final Map<String, String> secretsRead = new ConcurrentHashMap<>();

  /**
   * @param saved the last run's plan, or null when there is none
   */
  ResumableCluster(
      ClusterView live, InstancePlan.Lookups host, SavedPlan.Snapshot saved, Clock clock) {
    this.live = live;
    this.host = host;
    this.clock = clock;
    this.saved = saved;
    this.resumeFrom = clock.instant().plus(RESUME_AFTER);
    this.savedVips =
        saved == null
            ? Map.of()
            : saved.virtualIps().stream()
                .collect(Collectors.toMap(v -> v.getMetadata().getName(), Function.identity()));
    this.savedNodes =
        saved == null
            ? Map.of()
            : saved.nodes().stream()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity()));
  }

  /** Whether decisions come from the saved plan now (the informers have not listed yet). */
  boolean resumed() {
    return !live.synced() && saved != null && !clock.instant().isBefore(resumeFrom);
  }

  /** Whether decisions come from the informers. */
  boolean live() {
    return live.synced();
  }

  @Override
  public boolean synced() {
    return live.synced() || resumed();
  }

  @Override
  public Optional<VirtualIP> virtualIp(String name) {
    return live.synced() ? live.virtualIp(name) : Optional.ofNullable(savedVips.get(name));
  }

  @Override
  public List<String> virtualIpNames() {
    return live.synced() ? live.virtualIpNames() : List.copyOf(savedVips.keySet());
  }

  @Override
  public Optional<Node> node(String name) {
    return live.synced() ? live.node(name) : Optional.ofNullable(savedNodes.get(name));
  }

  @Override
  public Collection<Node> nodes() {
    return live.synced() ? live.nodes() : savedNodes.values();
  }

  @Override
  public Optional<String> interfaceFor(String address) {
    return host.interfaceFor(address);
  }

  @Override
  public InstancePlan.SecretValue secret(String namespace, String name, String key) {
    String at = SavedPlan.secretKey(namespace, name, key);
    if (!live.synced()) {
      String value = saved == null ? null : saved.secrets().get(at);
      return value == null
          ? InstancePlan.SecretValue.unusable(
              "not in the saved plan, and the API server is " + "unreachable")
          : InstancePlan.SecretValue.of(value);
    }
    InstancePlan.SecretValue value = host.secret(namespace, name, key);
    if (value.value() != null) {
      secretsRead.put(at, value.value());
    } else {
      secretsRead.remove(at);
    }
    return value;
  }

  /** The Secret values live decisions read (for the next saved plan). */
  Map<String, String> secretsRead() {
    return Map.copyOf(secretsRead);
  }

  /** When the resumed plan was saved (for the log). */
  Instant savedAt() {
    return saved == null ? null : saved.savedAt();
  }
}
