/**
 * The {@code node-agent} command line (picocli): {@code run} (standalone, from a config file),
 * {@code kubernetes} (the DaemonSet's command), {@code sniff} (decode VRRP on an interface) and
 * {@code import} (convert a keepalived.conf). Each command only parses its options and wires the
 * modules together.
 */
package dev.vrrp.agent.cli;
