package dev.vrrp.agent.kubernetes;

import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.SpecVersion;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.vocabulary.ConditionType;
import java.util.List;

/**
 * Everything of a VirtualIP that {@link InstancePlan#decide} reads, besides the node's own lookups:
 * the spec's version, deletion, the operator's plan (VRID, priorities, Conflict) and the version of
 * the Nodes. Two equal keys give the same decision.
 */
record PlanVersion(
    SpecVersion spec,
    boolean deleting,
    Integer vrid,
    List<String> priorities,
    String conflict,
    long nodeGeneration) {

  static PlanVersion of(VirtualIP vip, long nodeGeneration) {
    var status = vip.getStatus();
    List<String> priorities =
        status == null
            ? List.of()
            : status.getPriorities().stream().map(PlanVersion::text).toList();
    String conflict =
        status == null
            ? null
            : status.getConditions().stream()
                .filter(c -> ConditionType.CONFLICT.is(c.getType()))
                .map(c -> c.getStatus())
                .findFirst()
                .orElse(null);
    return new PlanVersion(
        SpecVersion.of(vip),
        vip.getMetadata().getDeletionTimestamp() != null,
        status == null ? null : status.getVirtualRouterId(),
        priorities,
        conflict,
        nodeGeneration);
  }

  private static String text(NodePriority p) {
    return p.getNode() + "=" + p.getPriority();
  }

  /**
   * A decision that looks something up on the node (a route, a Secret) is made again every
   * heartbeat.
   */
  static boolean usesLookups(VirtualIP vip) {
    var spec = vip.getSpec();
    return spec != null
        && (spec.getInterfaceName() == null
            || spec.getInterfaceName().isBlank()
            || (spec.getAuthentication() != null
                && spec.getAuthentication().getPasswordSecretRef() != null));
  }
}
