package dev.vrrp.agent.net;

import java.net.InetAddress;

/**
 * An address on one of the node's interfaces, as the kernel lists it.
 *
 * @param ours added by this agent (marked with {@link AddressManager#AGENT_PROTOCOL}, or added by
 *     this process on a kernel that keeps no marks)
 * @param secondary IPv4: another address of the interface covers the same subnet (never a source)
 */
public record HostAddress(
    String interfaceName, InetAddress address, int prefixLength, boolean ours, boolean secondary) {}
