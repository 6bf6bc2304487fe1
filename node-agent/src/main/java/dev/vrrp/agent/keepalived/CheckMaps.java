package dev.vrrp.agent.keepalived;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vrrp.api.v1alpha1.HealthCheck;
import java.util.Collection;
import java.util.Map;

/**
 * A health check as the standalone config's {@code track[]} item: the type's own field names (the
 * standalone config reads the same ones), only those that are set.
 */
final class CheckMaps {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckMaps() {}

  static Map<String, Object> of(HealthCheck check) {
    Map<String, Object> out = JSON.convertValue(check, new TypeReference<>() {});
    // the type's own inclusion (NON_NULL) keeps its empty lists; an unused list is noise here
    out.values().removeIf(v -> v instanceof Collection<?> c && c.isEmpty());
    return out;
  }
}
