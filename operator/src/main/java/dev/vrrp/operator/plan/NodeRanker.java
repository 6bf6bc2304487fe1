package dev.vrrp.operator.plan;

import dev.vrrp.api.v1alpha1.NodePriority;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gives each selected node of each VirtualIP a VRRP priority, so masters (and the first backups)
 * spread evenly over the nodes. Pure.
 *
 * <ul>
 *   <li>Explicit priorities ({@code spec.priorities}) are kept as given. Selected nodes they do not
 *       list become backups below every listed node (a master/backup pair stays a pair on a bigger
 *       cluster), ordered as below, spread evenly (up to 50 apart) under the lowest explicit
 *       priority. Neighbours one apart would race: their skew times differ by interval/256, a few
 *       milliseconds, which scheduling jitter outweighs.
 *   <li>Without explicit priorities, the selected nodes are put in an order and get priorities from
 *       a ladder: 250, 200, 150, 100, 50 for up to five nodes, then a smaller step so the lowest
 *       stays at 50 (down to step 1). High priorities keep failover fast: a backup's skew time (RFC
 *       5798 section 6.1, {@code (256 - priority) * interval / 256}) shrinks as its priority grows.
 *       A ladder value that an explicit priority of the same VirtualIP already uses is lowered by
 *       one until free, so no two nodes tie (a tie is broken by IP address on the wire, which
 *       nobody expects).
 *   <li>Order is sticky: a VirtualIP keeps the order of its previous plan ({@code
 *       status.priorities}); new nodes are appended below it. Adding or removing a VirtualIP or a
 *       node never changes who is master of another VirtualIP.
 *   <li>New positions go to the node that holds that position (master, first backup, ...) for the
 *       fewest VirtualIPs so far, VirtualIPs taken in creation order; ties are broken by a stable
 *       hash of VirtualIP and node name, so equal clusters rank equally.
 * </ul>
 */
final class NodeRanker {
  static final int TOP = 250;
  static final int BOTTOM = 50;
  static final int MAX_STEP = 50;

  /**
   * One VirtualIP to rank (pass them in creation order).
   *
   * @param name the VirtualIP
   * @param nodes the nodes it selects
   * @param explicit {@code spec.priorities}; entries for nodes it does not select are ignored
   * @param previous its current plan ({@code status.priorities}), for a sticky order
   */
  record Request(
      String name, Set<String> nodes, List<NodePriority> explicit, List<NodePriority> previous) {
    Request {
      nodes = Set.copyOf(nodes);
      explicit = explicit == null ? List.of() : List.copyOf(explicit);
      previous = previous == null ? List.of() : List.copyOf(previous);
    }
  }

  /** The priority of the node at {@code rank} (0 = highest) among {@code count} ranked nodes. */
  static int ladder(int rank, int count) {
    int step =
        count <= 1 ? MAX_STEP : Math.max(1, Math.min(MAX_STEP, (TOP - BOTTOM) / (count - 1)));
    return Math.max(1, TOP - rank * step);
  }

  /**
   * The priority of the node at {@code rank} among {@code count} nodes ranked under the lowest
   * explicit priority {@code lowest}: evenly spaced between it and 1, up to 50 apart, at least 1.
   */
  static int below(int lowest, int rank, int count) {
    int step = Math.max(1, Math.min(MAX_STEP, (lowest - 1) / Math.max(1, count)));
    return Math.max(1, lowest - (rank + 1) * step);
  }

  /**
   * Ranks all VirtualIPs, in the order given. Each result lists every selected node once, highest
   * priority first (ties by node name).
   */
  Map<String, List<NodePriority>> rank(List<Request> requests) {
    Map<String, int[]> positionCounts = new HashMap<>();
    Map<String, List<NodePriority>> result = new LinkedHashMap<>();
    for (Request r : requests) {
      Map<String, Integer> explicit = new LinkedHashMap<>();
      for (NodePriority p : r.explicit()) {
        if (p.getNode() != null && p.getPriority() != null && r.nodes().contains(p.getNode())) {
          explicit.putIfAbsent(p.getNode(), p.getPriority());
        }
      }
      Set<String> toRank = new TreeSet<>(r.nodes());
      toRank.removeAll(explicit.keySet());

      List<String> order = new ArrayList<>();
      r.previous().stream()
          .filter(p -> p.getNode() != null && toRank.contains(p.getNode()))
          .sorted(
              Comparator.comparingInt(PlannedFields::priority)
                  .reversed()
                  .thenComparing(NodePriority::getNode))
          .map(NodePriority::getNode)
          .distinct()
          .forEach(order::add);
      Set<String> remaining = new TreeSet<>(toRank);
      order.forEach(remaining::remove);
      Map<String, Integer> ties = new HashMap<>();
      for (String node : remaining) {
        ties.put(node, tieBreak(r.name(), node));
      }
      while (!remaining.isEmpty()) {
        int position = order.size();
        String pick = null;
        int pickCount = 0;
        for (String node : remaining) { // sorted by name, so equal candidates resolve by name last
          int c = count(positionCounts, node, position);
          if (pick == null || c < pickCount || c == pickCount && ties.get(node) < ties.get(pick)) {
            pick = node;
            pickCount = c;
          }
        }
        order.add(pick);
        remaining.remove(pick);
      }

      Set<Integer> taken = new HashSet<>(explicit.values());
      List<NodePriority> plan = new ArrayList<>();
      explicit.forEach((node, priority) -> plan.add(new NodePriority(node, priority)));
      int lowestExplicit = explicit.values().stream().mapToInt(Integer::intValue).min().orElse(0);
      for (int i = 0; i < order.size(); i++) {
        int priority =
            explicit.isEmpty() ? ladder(i, order.size()) : below(lowestExplicit, i, order.size());
        while (taken.contains(priority) && priority > 1) {
          priority--;
        }
        taken.add(priority);
        plan.add(new NodePriority(order.get(i), priority));
        int[] counts = positionCounts.getOrDefault(order.get(i), new int[0]);
        if (counts.length <= i) {
          counts = Arrays.copyOf(counts, i + 1);
        }
        counts[i]++;
        positionCounts.put(order.get(i), counts);
      }
      plan.sort(
          Comparator.comparing(NodePriority::getPriority)
              .reversed()
              .thenComparing(NodePriority::getNode));
      result.put(r.name(), List.copyOf(plan));
    }
    return result;
  }

  private static int count(Map<String, int[]> counts, String node, int position) {
    int[] c = counts.get(node);
    return c == null || c.length <= position ? 0 : c[position];
  }

  /** A well-mixed stable hash (String.hashCode is specified, then the murmur3 finalizer). */
  static int tieBreak(String vip, String node) {
    int h = (vip + '\u0000' + node).hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
