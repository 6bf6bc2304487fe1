package dev.vrrp.engine;

/** Checks of RFC 5798 7.1 / RFC 3768 7.1 that need the instance's configuration. */
public enum DiscardReason {
  VRID_MISMATCH,
  VERSION_MISMATCH,
  /** RFC 5798 7.1: the address owner (priority 255) discards every advertisement for its VRID. */
  LOCAL_ADDRESS_OWNER,
  AUTH_MISMATCH,
  /** RFC 3768 7.1: a v2 interval must equal the local one. */
  INTERVAL_MISMATCH,
  /** RFC 3768 7.1: v2 address list differs and the sender is not the owner. */
  ADDRESS_MISMATCH,
  FAMILY_MISMATCH
}
