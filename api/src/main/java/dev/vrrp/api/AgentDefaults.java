package dev.vrrp.api;

import dev.vrrp.api.text.Durations;
import java.time.Duration;

/** Defaults the operator and the agents must agree on, written once. */
public final class AgentDefaults {
  /**
   * How often an agent refreshes its status entries; the operator counts an entry older than three
   * of these as Unknown. The chart's {@code agent.heartbeat} has the same default.
   */
  public static final String HEARTBEAT = "10s";

  private AgentDefaults() {}

  public static Duration heartbeat() {
    return Durations.parse(HEARTBEAT);
  }
}
