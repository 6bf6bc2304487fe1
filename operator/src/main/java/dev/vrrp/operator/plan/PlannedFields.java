package dev.vrrp.operator.plan;

import dev.vrrp.api.v1alpha1.NodePriority;
import dev.vrrp.api.v1alpha1.VirtualIPStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan as a VirtualIP's status shows it: {@code status.virtualRouterId} and {@code
 * status.priorities}, in order. The one reading of those fields, for the planner (its memo key, and
 * whether a status shows the plan), the operator's status summary and the replan trigger. No status
 * reads like an empty one. A missing priority reads as 0, below every priority a plan gives
 * (1-254), so a status with one never shows a plan.
 */
public record PlannedFields(Integer virtualRouterId, List<VipPlan.Ranked> priorities) {
  /** An empty status, or none. */
  static final PlannedFields NONE = new PlannedFields(null, List.of());

  public PlannedFields {
    priorities = List.copyOf(priorities);
  }

  public static PlannedFields of(VirtualIPStatus status) {
    if (status == null) {
      return NONE;
    }
    List<VipPlan.Ranked> priorities = new ArrayList<>();
    if (status.getPriorities() != null) {
      for (NodePriority p : status.getPriorities()) {
        priorities.add(new VipPlan.Ranked(p.getNode(), priority(p)));
      }
    }
    return new PlannedFields(status.getVirtualRouterId(), priorities);
  }

  /** What a status shows when it shows {@code plan}. */
  static PlannedFields ofPlan(VipPlan plan) {
    return new PlannedFields(plan.virtualRouterId(), plan.priorities());
  }

  /** A status entry's priority: 0 when it is missing. */
  static int priority(NodePriority p) {
    return p.getPriority() == null ? 0 : p.getPriority();
  }
}
