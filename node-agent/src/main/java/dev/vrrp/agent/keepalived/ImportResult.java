package dev.vrrp.agent.keepalived;

import java.util.List;

/**
 * What {@code node-agent import} prints and how it exits.
 *
 * @param exitCode 0: everything that matters for VRRP converted; 1: something did not, or our rules
 *     refuse the result; 2: the file cannot be read or parsed
 */
public record ImportResult(String stdout, List<String> stderr, int exitCode) {}
