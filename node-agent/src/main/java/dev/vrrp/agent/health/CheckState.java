package dev.vrrp.agent.health;

import java.time.Instant;

/**
 * One check as the agent reports it in /state.
 *
 * @param type the configured type, e.g. {@code EXEC}
 * @param healthy the state after fall/rise; false also before the first probe has answered
 * @param detail what the latest probe said, and how far it is from flipping the state
 * @param since when {@code healthy} last changed (or tracking started)
 */
public record CheckState(
    String name, String type, boolean healthy, String detail, int weight, Instant since) {}
