/**
 * Health tracking for VRRP instances, keepalived's vrrp_script, track_script and track_interface:
 * each check probes something (a command, a URL, a TCP port, a link, the gateway), fall/rise
 * hysteresis turns probe results into a healthy or failing state, and weights fold the states into
 * one {@link dev.vrrp.agent.health.HealthVerdict} per instance: a priority change, or FAULT.
 *
 * <p>{@link dev.vrrp.agent.health.HealthTracker} is the entry point; one per instance.
 */
package dev.vrrp.agent.health;
