/**
 * The one agent DaemonSet that runs VRRP on the nodes for every VirtualIP. It belongs to no single
 * VirtualIP, so it is rendered from all of them and kept by its own keeper rather than as a
 * per-resource dependent of the controller.
 */
package dev.vrrp.operator.agents;
