package dev.vrrp.agent.health;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The split-brain guard: a node that cannot reach its gateway must not hold the VIP, because the
 * other nodes (and the clients) may still reach theirs and elect another master. Checks a
 * configured gateway, or the gateway of the default route, looked up again on every probe.
 */
final class GatewayProbe implements Probe {
  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final InetAddress configuredGateway; // null: follow the default route
  private final String interfaceName; // the instance's interface, may be null
  private final Duration timeout;
  private final DefaultRoutes routes;
  private final Reachability reachability;

  GatewayProbe(String gateway, String interfaceName, Duration timeout) {
    this(gateway, interfaceName, timeout, new DefaultRoutes(), Reachability.ICMP_ECHO);
  }

  GatewayProbe(
      String gateway,
      String interfaceName,
      Duration timeout,
      DefaultRoutes routes,
      Reachability reachability) {
    this.configuredGateway = gateway == null || gateway.isBlank() ? null : literal(gateway);
    this.interfaceName = interfaceName == null || interfaceName.isBlank() ? null : interfaceName;
    this.timeout = timeout;
    this.routes = routes;
    this.reachability = reachability;
  }

  @Override
  public ProbeResult probe() {
    Optional<Target> target;
    try {
      target =
          configuredGateway != null
              ? Optional.of(new Target(configuredGateway, interfaceName, ""))
              : defaultRoute()
                  .map(
                      route ->
                          new Target(route.gateway(), route.interfaceName(), " (default route)"));
    } catch (IOException e) {
      return ProbeResult.failed("cannot read the routing table: " + e.getMessage());
    }
    if (target.isEmpty()) {
      return ProbeResult.failed(
          "no default route to find the gateway in (" + routes.describeSources() + ")");
    }
    return ask(target.get());
  }

  private ProbeResult ask(Target target) {
    String name = target.gateway().getHostAddress();
    NetworkInterface via = null;
    if (target.interfaceName() != null) {
      try {
        via = NetworkInterface.getByName(target.interfaceName());
      } catch (SocketException e) {
        return ProbeResult.failed(
            "gateway "
                + name
                + ": cannot look up "
                + target.interfaceName()
                + ": "
                + e.getMessage());
      }
      if (via == null) {
        return ProbeResult.failed("gateway " + name + ": no interface " + target.interfaceName());
      }
      name += " via " + target.interfaceName();
    }
    name += target.origin();
    int millis = (int) Math.max(1, timeout.toMillis());
    try {
      return reachability.answers(scoped(target.gateway(), via), via, millis)
          ? ProbeResult.ok("gateway " + name + " answers")
          : ProbeResult.failed("gateway " + name + " does not answer within " + millis + "ms");
    } catch (IOException e) {
      return ProbeResult.failed("gateway " + name + ": " + e.getMessage());
    }
  }

  /**
   * The kernel's choice when it has one: default routes out of the instance's interface first (that
   * segment is the one the VIP lives on), then the rest; IPv4 before IPv6, as CheckSettings does
   * not tell the instance's family; and within that the lowest metric.
   */
  private Optional<DefaultRoute> defaultRoute() throws IOException {
    List<DefaultRoute> all = routes.read();
    return all.stream()
        .min(
            Comparator.comparing((DefaultRoute r) -> !r.interfaceName().equals(interfaceName))
                .thenComparing(r -> r.gateway() instanceof Inet6Address)
                .thenComparingLong(DefaultRoute::metric));
  }

  /**
   * A link-local gateway (the usual IPv6 default route) only means something together with its
   * interface.
   */
  private static InetAddress scoped(InetAddress gateway, NetworkInterface via)
      throws UnknownHostException {
    if (gateway instanceof Inet6Address v6
        && v6.isLinkLocalAddress()
        && v6.getScopeId() == 0
        && via != null) {
      // By index: the NetworkInterface overload insists the interface has a link-local address of
      // its own.
      return Inet6Address.getByAddress(null, v6.getAddress(), via.getIndex());
    }
    return gateway;
  }

  /**
   * Only literals: a name would make every probe depend on DNS, and hide a typo until the first
   * probe.
   */
  private static InetAddress literal(String gateway) {
    String text = gateway.strip();
    if (text.contains(":") || IPV4_LITERAL.matcher(text).matches()) {
      try {
        return InetAddress.getByName(text); // a literal: parsed, never looked up
      } catch (UnknownHostException e) {
        // not a valid literal after all: reported below
      }
    }
    throw new IllegalArgumentException("gateway must be an IP address, got '" + gateway + "'");
  }

  /**
   * Where to send the probe: a gateway, the interface it is behind (null: let the routing table
   * choose), and how we came to it, for the detail.
   */
  private record Target(InetAddress gateway, String interfaceName, String origin) {}
}
