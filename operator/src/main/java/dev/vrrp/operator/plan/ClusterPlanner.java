package dev.vrrp.operator.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vrrp.api.Problem;
import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.SpecRules;
import dev.vrrp.api.v1alpha1.SpecVersion;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPSpec;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import dev.vrrp.operator.meta.Timestamps;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns all VirtualIPs and Nodes into a {@link ClusterPlan}: validation ({@link SpecRules}), node
 * selection ({@link NodeSelection}), VRIDs and conflicts ({@link VridAllocator}) and node
 * priorities ({@link NodeRanker}). {@link #compute} is pure; an instance memoizes the last plan by
 * the inputs that matter (spec generations, the operator's previous plan in each status, what the
 * plan reads of each Node: {@link NodeFields}), so the many reconciles that agents' heartbeats
 * cause cost a key comparison, not a replan. Thread-safe.
 */
public final class ClusterPlanner {
  /** A plan and the VirtualIPs whose plan differs from the plan computed before it. */
  record Planned(ClusterPlan plan, Set<String> changed) {}

  /**
   * {@code status} is {@link #AS_PLANNED} when the VirtualIP's status shows the last plan for it.
   */
  private record VipKey(String name, String uid, String created, Long generation, Object status) {}

  private static final String AS_PLANNED = "as planned";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /**
   * What a VirtualIP's spec alone determines, cached per spec generation (and its creation time,
   * parsed once).
   */
  private record Facts(SpecVersion version, Instant created, String problem, String shareKey) {}

  private final VridAllocator allocator;
  private List<Object> lastKey;
  private ClusterPlan last;
  private final Map<String, Facts> facts = new HashMap<>();

  /** Allocates VRIDs from all of 1-255. */
  ClusterPlanner() {
    this(VridRange.ALL);
  }

  /** Allocates VRIDs from {@code range}. */
  public ClusterPlanner(VridRange range) {
    this.allocator = new VridAllocator(range);
  }

  /** The plan for these VirtualIPs and Nodes; {@code changed} is empty when it was cached. */
  synchronized Planned plan(Collection<VirtualIP> vips, Collection<Node> nodes) {
    List<Object> key = key(vips, nodes, last);
    if (last != null && key.equals(lastKey)) {
      return new Planned(last, Set.of());
    }
    ClusterPlan plan = compute(vips, nodes, facts, allocator);
    facts.keySet().retainAll(plan.byName().keySet());
    Set<String> changed = plan.changedSince(last);
    last = plan;
    lastKey = key(vips, nodes, plan); // relative to the new plan, as the next call will compute it
    return new Planned(plan, changed);
  }

  /** The plan, from scratch. */
  static ClusterPlan compute(Collection<VirtualIP> vips, Collection<Node> nodes) {
    return compute(vips, nodes, new HashMap<>(), new VridAllocator());
  }

  private static Facts facts(VirtualIP vip, Map<String, Facts> cache) {
    String name = vip.getMetadata().getName();
    Facts known = cache.get(name);
    if (known != null && known.version().matches(vip)) {
      return known;
    }
    List<Problem> problems = SpecRules.problems(vip.getSpec());
    String problem =
        problems.isEmpty()
            ? null
            : problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    Facts fresh =
        new Facts(
            SpecVersion.of(vip), created(vip), problem, problem == null ? shareKey(vip) : null);
    cache.put(name, fresh);
    return fresh;
  }

  private static ClusterPlan compute(
      Collection<VirtualIP> vips,
      Collection<Node> nodes,
      Map<String, Facts> cache,
      VridAllocator allocator) {
    // oldest first; the creation time is parsed once per VirtualIP, not once per comparison
    Map<VirtualIP, Facts> factsOf = new IdentityHashMap<>(vips.size() * 2);
    for (VirtualIP vip : vips) {
      factsOf.put(vip, facts(vip, cache));
    }
    List<VirtualIP> ordered = new ArrayList<>(vips);
    ordered.sort(
        Comparator.comparing(
                (VirtualIP v) -> factsOf.get(v).created(),
                Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(v -> v.getMetadata().getName()));

    Map<String, Set<String>> selected = new HashMap<>();
    Map<String, String> invalid = new HashMap<>();
    Map<String, Conflict> nodeAddress = new HashMap<>();
    NodeAddresses owned = NodeAddresses.of(nodes);
    List<VridAllocator.Request> requests = new ArrayList<>();
    for (VirtualIP vip : ordered) {
      String name = vip.getMetadata().getName();
      Set<String> nodesOfVip = NodeSelection.selected(vip, nodes);
      selected.put(name, nodesOfVip);
      Facts known = factsOf.get(vip);
      if (known.problem() != null) {
        invalid.put(name, known.problem());
        continue;
      }
      var taken = owned.conflict(vip.getSpec().getAddresses());
      if (taken.isPresent()) {
        nodeAddress.put(name, taken.get());
        continue; // claims nothing: no VRID, no address
      }
      requests.add(
          new VridAllocator.Request(
              name,
              known.created(),
              AddressFamily.of(vip.getSpec().getAddresses()),
              nodesOfVip,
              vip.getSpec().getAddresses(),
              vip.getSpec().getVirtualRouterId(),
              vip.getStatus() == null ? null : vip.getStatus().getVirtualRouterId(),
              known.shareKey()));
    }
    Map<String, VridAllocator.Allocation> allocations = allocator.allocate(requests);

    List<NodeRanker.Request> toRank = new ArrayList<>();
    for (VirtualIP vip : ordered) {
      String name = vip.getMetadata().getName();
      VridAllocator.Allocation allocation = allocations.get(name);
      if (allocation != null
          && !allocation.refused()
          && allocation.virtualRouterId() != null
          && allocation.sharedWith() == null
          && !selected.get(name).isEmpty()) {
        toRank.add(
            new NodeRanker.Request(
                name,
                selected.get(name),
                vip.getSpec().getPriorities(),
                vip.getStatus() == null ? List.of() : vip.getStatus().getPriorities()));
      }
    }
    Map<String, List<NodePriority>> ranked = new NodeRanker().rank(toRank);

    Map<String, VipPlan> plans = new HashMap<>();
    for (VirtualIP vip : ordered) {
      String name = vip.getMetadata().getName();
      VridAllocator.Allocation allocation = allocations.get(name);
      String sharedWith = allocation == null ? null : allocation.sharedWith();
      // a VirtualIP sharing a VRID runs in its leader's instance, so with the leader's priorities
      List<VipPlan.Ranked> priorities =
          ranked.getOrDefault(sharedWith == null ? name : sharedWith, List.of()).stream()
              .map(p -> new VipPlan.Ranked(p.getNode(), p.getPriority()))
              .toList();
      plans.put(
          name,
          new VipPlan(
              selected.get(name),
              allocation == null ? null : allocation.virtualRouterId(),
              priorities,
              nodeAddress.containsKey(name)
                  ? nodeAddress.get(name)
                  : allocation == null ? null : allocation.conflict(),
              invalid.get(name),
              sharedWith));
    }
    return new ClusterPlan(plans);
  }

  /**
   * The settings that must be equal for two VirtualIPs on the same nodes to share one VRRP
   * instance: everything the agents put in an instance besides the addresses and the name.
   */
  static String shareKey(VirtualIP vip) {
    VirtualIPSpec spec = vip.getSpec();
    Map<String, Object> key = new TreeMap<>();
    key.put("interface", spec.getInterfaceName());
    key.put("version", spec.getVersion());
    key.put("advertisementInterval", spec.getAdvertisementInterval());
    key.put("preempt", spec.getPreempt());
    key.put("preemptDelay", spec.getPreemptDelay());
    key.put("authentication", spec.getAuthentication());
    key.put("unicast", spec.getUnicast());
    key.put("track", spec.getTrack());
    List<String> explicit = new ArrayList<>();
    if (spec.getPriorities() != null) {
      spec.getPriorities().forEach(p -> explicit.add(p.getNode() + "=" + p.getPriority()));
    }
    explicit.sort(null);
    key.put("priorities", explicit);
    try {
      return JSON.writeValueAsString(key);
    } catch (JsonProcessingException e) {
      return null; // cannot compare: never share
    }
  }

  /**
   * The status is empty (plans like the plan: a fresh VirtualIP gets what it was given) or shows
   * the plan.
   */
  static boolean asPlanned(VirtualIPStatus status, VipPlan planned) {
    PlannedFields shown = PlannedFields.of(status);
    return shown.equals(PlannedFields.NONE)
        || (planned.installed() && shown.equals(PlannedFields.ofPlan(planned)));
  }

  /** Its creation time, or null when it has none that parses: it is planned after the others. */
  static Instant created(VirtualIP vip) {
    return Timestamps.parse(vip.getMetadata().getCreationTimestamp()).orElse(null);
  }

  /**
   * What the plan depends on. A VirtualIP's own status (its VRID and priorities, inputs for
   * stickiness) counts only where it differs from the last plan: writing the plan into the status
   * (or a status still empty) plans the same, and must not cost a replan of all VirtualIPs per
   * write.
   */
  private static List<Object> key(
      Collection<VirtualIP> vips, Collection<Node> nodes, ClusterPlan last) {
    List<VipKey> vipKeys = new ArrayList<>(vips.size());
    for (VirtualIP vip : vips) {
      VirtualIPStatus status = vip.getStatus();
      VipPlan planned = last == null ? null : last.get(vip.getMetadata().getName());
      Object statusKey =
          planned != null && asPlanned(status, planned) ? AS_PLANNED : PlannedFields.of(status);
      vipKeys.add(
          new VipKey(
              vip.getMetadata().getName(),
              vip.getMetadata().getUid(),
              vip.getMetadata().getCreationTimestamp(),
              vip.getMetadata().getGeneration(),
              statusKey));
    }
    vipKeys.sort(Comparator.comparing(VipKey::name));
    List<NodeFields.Read> nodeKeys = new ArrayList<>(nodes.size());
    for (Node node : nodes) {
      nodeKeys.add(NodeFields.of(node));
    }
    nodeKeys.sort(Comparator.comparing(NodeFields.Read::name));
    return List.of(vipKeys, nodeKeys);
  }
}
