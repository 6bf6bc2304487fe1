package dev.vrrp.operator.plan;

import dev.vrrp.api.NodeMaintenance;
import dev.vrrp.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes a VirtualIP selects: the node is in {@code nodeNames} when that is set, its {@code
 * nodeSelector} matches the node's labels, and the agent DaemonSet can run there for it (every
 * NoSchedule / NoExecute taint is tolerated by the VirtualIP's tolerations, or is one the DaemonSet
 * controller tolerates by itself, or is {@link NodeMaintenance#DRAIN_TAINT}, which the agents
 * tolerate: a drained node stays planned, and its agent runs there as a backup). Pure.
 */
final class NodeSelection {
  /** Taints the DaemonSet controller adds tolerations for on every DaemonSet pod. */
  static final Set<String> DAEMONSET_TOLERATED =
      Set.of(
          "node.kubernetes.io/not-ready",
          "node.kubernetes.io/unreachable",
          "node.kubernetes.io/disk-pressure",
          "node.kubernetes.io/memory-pressure",
          "node.kubernetes.io/pid-pressure",
          "node.kubernetes.io/unschedulable",
          "node.kubernetes.io/network-unavailable");

  private NodeSelection() {}

  /** The names of the nodes {@code vip} selects, sorted. */
  static Set<String> selected(VirtualIP vip, Collection<Node> nodes) {
    Set<String> names = new TreeSet<>();
    for (Node node : nodes) {
      if (selects(vip, node)) {
        names.add(node.getMetadata().getName());
      }
    }
    return names;
  }

  static boolean selects(VirtualIP vip, Node node) {
    if (node.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    List<String> names = vip.getSpec() == null ? null : vip.getSpec().getNodeNames();
    if (names != null && !names.contains(node.getMetadata().getName())) {
      return false;
    }
    Map<String, String> selector =
        vip.getSpec() == null ? Map.of() : vip.getSpec().getNodeSelector();
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (selector != null) {
      for (Map.Entry<String, String> e : selector.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    List<Taint> taints =
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.of()
            : node.getSpec().getTaints();
    List<Toleration> tolerations =
        vip.getSpec() == null || vip.getSpec().getTolerations() == null
            ? List.of()
            : vip.getSpec().getTolerations();
    for (Taint taint : taints) {
      if ("PreferNoSchedule".equals(taint.getEffect())
          || DAEMONSET_TOLERATED.contains(taint.getKey())
          || NodeMaintenance.DRAIN_TAINT.equals(taint.getKey())) {
        continue;
      }
      if (tolerations.stream().noneMatch(t -> tolerates(t, taint))) {
        return false;
      }
    }
    return true;
  }

  /** Kubernetes' toleration matching (core/v1 Toleration.ToleratesTaint). */
  static boolean tolerates(Toleration toleration, Taint taint) {
    String effect = toleration.getEffect();
    if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
      return false;
    }
    String key = toleration.getKey();
    if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) {
      return false;
    }
    String operator =
        toleration.getOperator() == null || toleration.getOperator().isEmpty()
            ? "Equal"
            : toleration.getOperator();
    if ("Exists".equals(operator)) {
      return true;
    }
    if (key == null || key.isEmpty()) {
      return false; // an empty key needs Exists
    }
    String value = toleration.getValue() == null ? "" : toleration.getValue();
    String taintValue = taint.getValue() == null ? "" : taint.getValue();
    return "Equal".equals(operator) && value.equals(taintValue);
  }
}
