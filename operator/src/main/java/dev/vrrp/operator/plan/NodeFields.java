package dev.vrrp.operator.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;

/**
 * Which fields of a Node the plan reads, said once: its name, its labels and taints (which
 * VirtualIPs select it, {@link NodeSelection}), whether it is being deleted (then none does), and
 * its own addresses ({@code status.addresses}, of which {@link NodeAddresses} reads InternalIP and
 * ExternalIP). The planner's memo key, the Node watch's "does this update matter" and what the Node
 * cache keeps all follow from here. Pure.
 */
public final class NodeFields {
  /** What the plan reads of one Node; equal when the plan reads the same. */
  record Read(
      String name,
      Map<String, String> labels,
      List<Taint> taints,
      boolean deleting,
      List<String> ownAddresses) {}

  private NodeFields() {}

  static Read of(Node node) {
    return new Read(
        node.getMetadata().getName(),
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels(),
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.of()
            : node.getSpec().getTaints(),
        node.getMetadata().getDeletionTimestamp() != null,
        NodeAddresses.ownAddresses(node));
  }

  /** Whether a Node update can change the plan. */
  public static boolean changed(Node before, Node after) {
    return !of(before).equals(of(after));
  }

  /**
   * What the Node cache keeps: the fields the plan reads, and the identity the informer's cache
   * needs (uid, resourceVersion). Not the rest of the status, which is most of a Node.
   */
  public static Node slim(Node node) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(node.getMetadata().getName())
        .withUid(node.getMetadata().getUid())
        .withResourceVersion(node.getMetadata().getResourceVersion())
        .withLabels(node.getMetadata().getLabels())
        .withDeletionTimestamp(node.getMetadata().getDeletionTimestamp())
        .endMetadata()
        .withNewSpec()
        .withTaints(node.getSpec() == null ? null : node.getSpec().getTaints())
        .endSpec()
        .withNewStatus()
        .withAddresses(node.getStatus() == null ? null : node.getStatus().getAddresses())
        .endStatus()
        .build();
  }
}
