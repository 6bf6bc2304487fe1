package dev.vrrp.agent.keepalived;

import dev.vrrp.api.v1alpha1.HealthCheck;
import java.util.LinkedHashMap;
import java.util.Map;

/** A health check as the standalone config's {@code track[]} item: only the fields that are set. */
final class CheckMaps {
  private CheckMaps() {}

  static Map<String, Object> of(HealthCheck check) {
    Map<String, Object> out = new LinkedHashMap<>();
    put(out, "name", check.getName());
    put(out, "type", check.getType());
    if (check.getCommand() != null && !check.getCommand().isEmpty()) {
      out.put("command", check.getCommand());
    }
    put(out, "address", check.getAddress());
    put(out, "interface", check.getInterfaceName());
    put(out, "interval", check.getInterval());
    put(out, "timeout", check.getTimeout());
    put(out, "fall", check.getFall());
    put(out, "rise", check.getRise());
    put(out, "weight", check.getWeight());
    return out;
  }

  private static void put(Map<String, Object> out, String key, Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }
}
