package dev.vrrp.agent.config;

import java.net.InetSocketAddress;
import java.util.List;

/** The standalone agent's configuration file, validated. */
public record AgentConfig(InetSocketAddress adminAddress, List<InstanceSettings> instances) {}
