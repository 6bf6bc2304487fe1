package dev.vrrp.agent.health;

import dev.vrrp.agent.config.CheckSettings;
import dev.vrrp.api.AgentDefaults;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Builds the probe a check's settings describe. */
final class ProbeFactory {
  private ProbeFactory() {}

  static Probe create(CheckSettings check) {
    Duration timeout = timeout(check);
    return switch (check.type()) {
      case EXEC -> new ExecProbe(check.command(), timeout);
      case HTTP ->
          new HttpProbe(
              URI.create(check.url()),
              timeout,
              check.caFile() == null
                  ? HttpProbe.Trust.JVM
                  : HttpProbe.Trust.caFile(Path.of(check.caFile())),
              check.insecureSkipVerify());
      case TCP -> new TcpProbe(check.host(), check.port(), timeout);
      case INTERFACE -> new LinkProbe(check.interfaceName());
      case GATEWAY -> new GatewayProbe(check.gateway(), check.interfaceName(), timeout);
      case FILE -> new FileProbe(Path.of(check.path()));
      case PROCESS -> new ProcessProbe(PROC, check.process());
    };
  }

  /**
   * The node's processes: the agent pods mount the node's /proc read-only at {@link
   * AgentDefaults#HOST_PROC} (their own /proc shows only the pod's); standalone, /proc.
   */
  static final Path PROC =
      Files.isDirectory(Path.of(AgentDefaults.HOST_PROC, "1"))
          ? Path.of(AgentDefaults.HOST_PROC)
          : Path.of("/proc");

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
