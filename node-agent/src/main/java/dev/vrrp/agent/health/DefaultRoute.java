package dev.vrrp.agent.health;

import java.net.InetAddress;

/**
 * A default route as the kernel lists it: where it goes, out of which interface, at which metric.
 */
record DefaultRoute(InetAddress gateway, String interfaceName, long metric) {}
