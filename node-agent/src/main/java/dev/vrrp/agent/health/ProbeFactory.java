package dev.vrrp.agent.health;

import dev.vrrp.agent.config.CheckSettings;
import java.net.URI;
import java.time.Duration;

/** Builds the probe a check's settings describe. */
final class ProbeFactory {
  private ProbeFactory() {}

  static Probe create(CheckSettings check) {
    Duration timeout = timeout(check);
    return switch (check.type()) {
      case EXEC -> new ExecProbe(check.command(), timeout);
      case HTTP -> new HttpProbe(URI.create(check.url()), timeout);
      case TCP -> new TcpProbe(check.host(), check.port(), timeout);
      case INTERFACE -> new LinkProbe(check.interfaceName());
      case GATEWAY -> new GatewayProbe(check.gateway(), check.interfaceName(), timeout);
    };
  }

  /**
   * The config loader defaults the timeout to the interval; settings built in code may leave it
   * out.
   */
  static Duration timeout(CheckSettings check) {
    Duration timeout = check.timeout() != null ? check.timeout() : check.interval();
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("check '" + check.name() + "' needs a positive timeout");
    }
    return timeout;
  }
}
