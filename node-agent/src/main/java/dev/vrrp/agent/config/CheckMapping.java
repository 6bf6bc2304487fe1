package dev.vrrp.agent.config;

import dev.vrrp.agent.config.CheckSettings.CheckType;
import dev.vrrp.api.text.Durations;
import dev.vrrp.api.text.HostPort;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.api.v1alpha1.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A health check as written (a VirtualIP's {@code spec.track[]} or the standalone config's {@code
 * track[]}, both {@link HealthCheck}) to the settings the agent runs, with the defaults of {@link
 * HealthCheck}. The check must have passed {@code SpecRules.check}.
 */
public final class CheckMapping {
  private CheckMapping() {}

  /**
   * @param instanceInterface what an interface check watches when it names no interface
   * @param index the check's position, for its default name
   */
  public static CheckSettings settings(HealthCheck check, String instanceInterface, int index) {
    CheckType type = CheckType.valueOf(check.getType().toUpperCase(Locale.ROOT));
    Duration interval =
        Durations.parse(
            check.getInterval() != null
                ? check.getInterval()
                : type == CheckType.INTERFACE
                    ? HealthCheck.DEFAULT_INTERFACE_INTERVAL
                    : HealthCheck.DEFAULT_INTERVAL);
    Duration timeout = check.getTimeout() == null ? interval : Durations.parse(check.getTimeout());
    String host = null;
    int port = 0;
    String gateway = null;
    if (type == CheckType.TCP) {
      HostPort target = HostPort.parse(check.getAddress());
      host = target.host();
      port = target.port();
    } else if (type == CheckType.GATEWAY && check.getAddress() != null) {
      gateway = IpLiteral.format(IpLiteral.parse(check.getAddress()));
    }
    return new CheckSettings(
        HealthCheck.nameOf(check, index),
        type,
        type == CheckType.EXEC ? List.copyOf(check.getCommand()) : List.of(),
        type == CheckType.HTTP ? check.getUrl() : null,
        host,
        port,
        check.getInterfaceName() != null ? check.getInterfaceName() : instanceInterface,
        gateway,
        interval,
        timeout,
        check.getFall() == null ? HealthCheck.DEFAULT_FALL : check.getFall(),
        check.getRise() == null ? HealthCheck.DEFAULT_RISE : check.getRise(),
        check.getWeight() == null ? HealthCheck.DEFAULT_WEIGHT : check.getWeight(),
        type == CheckType.FILE ? check.getPath() : null,
        type == CheckType.PROCESS ? List.copyOf(check.getProcess()) : List.of(),
        type == CheckType.HTTP ? check.getCaFile() : null,
        type == CheckType.HTTP && Boolean.TRUE.equals(check.getInsecureSkipVerify()));
  }
}
