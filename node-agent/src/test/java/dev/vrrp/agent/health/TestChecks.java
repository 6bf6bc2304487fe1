package dev.vrrp.agent.health;

import dev.vrrp.agent.config.CheckSettings;
import dev.vrrp.agent.config.CheckSettings.CheckType;
import java.time.Duration;
import java.util.List;

/** CheckSettings as the tests need them, with only the fields each type uses. */
final class TestChecks {
  private TestChecks() {}

  static CheckSettings exec(
      String name, List<String> command, Duration interval, int fall, int rise, int weight) {
    return new CheckSettings(
        name,
        CheckType.EXEC,
        command,
        null,
        null,
        0,
        null,
        null,
        interval,
        interval,
        fall,
        rise,
        weight,
        null,
        List.of(),
        null,
        false);
  }

  /** For trackers built with fake probes: the type is only a label then. */
  static CheckSettings fake(
      String name, Duration interval, Duration timeout, int fall, int rise, int weight) {
    return new CheckSettings(
        name,
        CheckType.EXEC,
        List.of("unused"),
        null,
        null,
        0,
        null,
        null,
        interval,
        timeout,
        fall,
        rise,
        weight,
        null,
        List.of(),
        null,
        false);
  }

  static CheckSettings link(String name, String interfaceName) {
    return new CheckSettings(
        name,
        CheckType.INTERFACE,
        List.of(),
        null,
        null,
        0,
        interfaceName,
        null,
        Duration.ofMillis(200),
        Duration.ofMillis(200),
        1,
        1,
        0,
        null,
        List.of(),
        null,
        false);
  }

  static CheckSettings gateway(
      String name, String gateway, String interfaceName, Duration timeout) {
    return new CheckSettings(
        name,
        CheckType.GATEWAY,
        List.of(),
        null,
        null,
        0,
        interfaceName,
        gateway,
        Duration.ofSeconds(1),
        timeout,
        1,
        1,
        0,
        null,
        List.of(),
        null,
        false);
  }
}
