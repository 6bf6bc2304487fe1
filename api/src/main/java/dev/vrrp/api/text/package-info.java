/**
 * How values are written in VirtualIPs, the standalone config and the command lines: durations,
 * {@code host:port} and IP addresses with an optional prefix. One parser each, so that a value
 * means the same everywhere and the CRD's patterns match what the parsers accept.
 */
package dev.vrrp.api.text;
