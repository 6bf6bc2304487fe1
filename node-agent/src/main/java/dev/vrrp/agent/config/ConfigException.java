package dev.vrrp.agent.config;

import java.util.List;

/**
 * A configuration with problems; each problem names its field: {@code instances[0].priority: ...}.
 */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
