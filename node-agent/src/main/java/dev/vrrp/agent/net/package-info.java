/**
 * The host edge: netlink for addresses (marked with IFA_PROTO so only the agent's own are removed),
 * pcap4j for VRRP frames in and out, gratuitous ARP and unsolicited NA, the ARP / DAD probe before
 * a first claim, and the self-check of what the agent needs from the host (libpcap, raw sockets).
 * Everything here needs root or a real kernel; the logic above it is tested without.
 */
package dev.vrrp.agent.net;
