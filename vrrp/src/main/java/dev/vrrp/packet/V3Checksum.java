package dev.vrrp.packet;

/**
 * How a VRRPv3 IPv4 checksum is computed. RFC 5798 5.2.8 covers an IPv4 pseudo-header; some vendors
 * (Cisco, Juniper, keepalived's {@code v3_checksum_as_v2}) sum the VRRP message alone, as VRRPv2
 * does. IPv6 always uses the pseudo-header.
 */
public enum V3Checksum {
  PSEUDO_HEADER,
  AS_V2
}
