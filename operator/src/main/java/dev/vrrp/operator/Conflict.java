package dev.vrrp.operator;

/**
 * Why a VirtualIP is not installed on any node: a CamelCase reason for the {@code Conflict}
 * condition and a message that names the other party and what to change.
 */
public record Conflict(String reason, String message) {
  /** The same address is claimed by an earlier VirtualIP. */
  public static final String ADDRESS_CONFLICT = "AddressConflict";
  /** The explicit virtualRouterId is in use on a shared node by an earlier VirtualIP. */
  public static final String VRID_CONFLICT = "VridConflict";
  /** All 255 VRIDs are in use among the VirtualIPs sharing a node (same family). */
  public static final String VRID_EXHAUSTED = "VridExhausted";
}
