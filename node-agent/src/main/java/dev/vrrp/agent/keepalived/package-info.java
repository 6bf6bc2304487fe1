/**
 * {@code node-agent import}: keepalived.conf read and converted to our configuration. {@link
 * dev.vrrp.agent.keepalived.ConfigParser} turns the file (and what it includes, read through {@link
 * dev.vrrp.agent.keepalived.Sources}) into {@link dev.vrrp.agent.keepalived.Statement}s with their
 * file, line and column; {@link dev.vrrp.agent.keepalived.KeepalivedConverter} maps them to {@link
 * dev.vrrp.agent.keepalived.ImportedInstance}s with keepalived's semantics and a {@link
 * dev.vrrp.agent.keepalived.Notice} for everything it cannot carry over; the writers print the
 * standalone config or the VirtualIP manifests and check what they print with our own rules ({@code
 * ConfigLoader}, {@code SpecRules}). {@link dev.vrrp.agent.keepalived.Importer} puts the steps
 * together. Pure except for the reading that {@code Sources} does.
 */
package dev.vrrp.agent.keepalived;
