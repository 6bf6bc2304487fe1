package dev.vrrp.agent.health;

import java.time.Instant;

/**
 * One check as the agent reports it in /state.
 *
 * @param type the configured type, e.g. {@code EXEC}
 * @param healthy the state after fall/rise; false also before the first probe has answered
 * @param detail what the latest probe said, and how far it is from flipping the state
 * @param since when {@code healthy} last changed (or tracking started)
 * @param value what a measuring check (file) read last, else null
 */
public record CheckState(
    String name,
    String type,
    boolean healthy,
    String detail,
    int weight,
    Instant since,
    Long value) {
  public CheckState(
      String name, String type, boolean healthy, String detail, int weight, Instant since) {
    this(name, type, healthy, detail, weight, since, null);
  }
}
