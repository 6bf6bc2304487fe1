/**
 * VRRP advertisements on the wire: encoding and decoding of versions 2 and 3 for IPv4 and IPv6, the
 * checksums (with the pseudo-header of RFC 5798 section 5.2.8), and the protocol's limits ({@link
 * dev.vrrp.packet.ProtocolLimits}), defined once for every module. A bad packet decodes to a {@link
 * dev.vrrp.packet.DecodeError} with its reason, never an exception.
 */
package dev.vrrp.packet;
