package dev.vrrp.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vrrp.api.v1alpha1.VirtualIP;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import dev.vrrp.api.vocabulary.ConditionStatus;
import dev.vrrp.api.vocabulary.ConditionType;
import dev.vrrp.operator.plan.PlannedFields;
import dev.vrrp.operator.plan.VipPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/**
 * The part of {@code VirtualIP.status} the operator owns, and nothing else: never {@code nodes},
 * which belongs to the agents (one entry each). Written with server-side apply from {@link
 * #toApplyPatch}, which holds exactly these fields, so the operator's field manager cannot touch an
 * agent's entry.
 */
public record OperatorStatus(
    String master,
    Integer virtualRouterId,
    List<VipPlan.Ranked> priorities,
    String ready,
    List<StatusCondition> conditions,
    Long observedGeneration,
    Long transitions,
    String lastFailoverTime) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A standard Kubernetes condition (metav1.Condition fields). */
  public record StatusCondition(
      String type,
      String status,
      String reason,
      String message,
      Long observedGeneration,
      String lastTransitionTime) {}

  public OperatorStatus {
    priorities = priorities == null ? List.of() : List.copyOf(priorities);
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  public static final OperatorStatus EMPTY =
      new OperatorStatus(null, null, List.of(), null, List.of(), null, null, null);

  /** The operator-owned fields of a status read from the API server. */
  public static OperatorStatus of(VirtualIPStatus status) {
    if (status == null) {
      return EMPTY;
    }
    PlannedFields planned = PlannedFields.of(status);
    List<StatusCondition> conditions =
        status.getConditions() == null
            ? List.of()
            : status.getConditions().stream()
                .map(
                    c ->
                        new StatusCondition(
                            c.getType(),
                            c.getStatus(),
                            c.getReason(),
                            c.getMessage(),
                            c.getObservedGeneration(),
                            c.getLastTransitionTime()))
                .toList();
    return new OperatorStatus(
        status.getMaster(),
        planned.virtualRouterId(),
        planned.priorities(),
        status.getReady(),
        conditions,
        status.getObservedGeneration(),
        status.getTransitions(),
        status.getLastFailoverTime());
  }

  public Optional<StatusCondition> condition(ConditionType type) {
    return conditions.stream().filter(c -> type.is(c.type())).findFirst();
  }

  boolean isTrue(ConditionType type) {
    return condition(type).map(c -> ConditionStatus.TRUE.is(c.status())).orElse(false);
  }

  /**
   * The server-side apply body for the status subresource: identity plus these fields only. Null
   * fields are left out, so applying releases them (SSA removes fields a manager stops applying,
   * unless another manager owns them).
   */
  String toApplyPatch(String name) {
    ObjectNode root = JSON.createObjectNode();
    root.put("apiVersion", HasMetadata.getApiVersion(VirtualIP.class));
    root.put("kind", HasMetadata.getKind(VirtualIP.class));
    root.putObject("metadata").put("name", name);
    ObjectNode status = root.putObject("status");
    if (master != null) {
      status.put("master", master);
    }
    if (virtualRouterId != null) {
      status.put("virtualRouterId", virtualRouterId);
    }
    if (!priorities.isEmpty()) {
      ArrayNode list = status.putArray("priorities");
      priorities.forEach(p -> list.addObject().put("node", p.node()).put("priority", p.priority()));
    }
    if (ready != null) {
      status.put("ready", ready);
    }
    if (!conditions.isEmpty()) {
      ArrayNode list = status.putArray("conditions");
      for (StatusCondition c : conditions) {
        ObjectNode node = list.addObject();
        node.put("type", c.type());
        node.put("status", c.status());
        node.put("reason", c.reason());
        node.put("message", c.message() == null ? "" : c.message());
        if (c.observedGeneration() != null) {
          node.put("observedGeneration", c.observedGeneration());
        }
        node.put("lastTransitionTime", c.lastTransitionTime());
      }
    }
    if (observedGeneration != null) {
      status.put("observedGeneration", observedGeneration);
    }
    if (transitions != null) {
      status.put("transitions", transitions);
    }
    if (lastFailoverTime != null) {
      status.put("lastFailoverTime", lastFailoverTime);
    }
    return root.toString();
  }
}
