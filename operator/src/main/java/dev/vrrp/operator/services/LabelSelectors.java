package dev.vrrp.operator.services;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Kubernetes' label selector semantics (metav1.LabelSelector), for pools' selectors. */
final class LabelSelectors {
  private LabelSelectors() {}

  /**
   * Whether the labels satisfy the selector: every matchLabels entry and every matchExpressions
   * requirement. No selector (null) matches everything, as an empty one does.
   */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null
        && !selector.getMatchLabels().entrySet().stream()
            .allMatch(e -> Objects.equals(have.get(e.getKey()), e.getValue()))) {
      return false;
    }
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    return expressions.stream().allMatch(r -> satisfies(r, have));
  }

  private static boolean satisfies(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      // the API server validates the operator of a Kubernetes type's selector, not of a CRD's:
      // an unknown one selects nothing rather than everything
      default -> false;
    };
  }
}
