/**
 * The VRRP state machine of RFC 5798 (VRRPv3) and RFC 3768 (VRRPv2): {@link
 * dev.vrrp.engine.VrrpInstance} takes events (a packet, a timer, a priority change, shutdown) and
 * returns actions (send, add or remove addresses, set timers). Pure and time-injected: no I/O, no
 * clock, no threads, so every MUST of the RFCs is a conformance case run as data.
 */
package dev.vrrp.engine;
