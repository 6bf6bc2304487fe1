package dev.vrrp.operator.plan;

import java.util.List;
import java.util.Set;

/**
 * The operator's decision for one VirtualIP: where it may run, its VRID and node priorities (the
 * plan agents run), or why it is not installed.
 *
 * @param selectedNodes the nodes its selector and tolerations admit
 * @param virtualRouterId its VRID, null when not installed
 * @param priorities every selected node with its priority, highest first; empty when not installed
 * @param conflict why it is refused (AddressConflict, VridConflict, VridExhausted), or null
 * @param invalid what is wrong with its spec, or null
 * @param sharedWith the VirtualIP whose VRID and priorities it shares (VRIDs ran out), or null
 */
public record VipPlan(
    Set<String> selectedNodes,
    Integer virtualRouterId,
    List<Ranked> priorities,
    Conflict conflict,
    String invalid,
    String sharedWith) {

  /** One node's planned priority. */
  public record Ranked(String node, int priority) {}

  public VipPlan {
    selectedNodes = Set.copyOf(selectedNodes);
    priorities = List.copyOf(priorities);
  }

  /** A plan that shares with nobody. */
  public VipPlan(
      Set<String> selectedNodes,
      Integer virtualRouterId,
      List<Ranked> priorities,
      Conflict conflict,
      String invalid) {
    this(selectedNodes, virtualRouterId, priorities, conflict, invalid, null);
  }

  /** Agents run it: it has a VRID, nodes and no conflict. */
  public boolean installed() {
    return conflict == null && invalid == null && virtualRouterId != null && !priorities.isEmpty();
  }
}
