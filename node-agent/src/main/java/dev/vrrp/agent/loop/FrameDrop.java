package dev.vrrp.agent.loop;

/**
 * Why a captured frame reached no instance, before the packet codec had a say (the codec's own
 * reasons come from {@code DecodeError.Reason}); the {@code reason} label of {@code
 * vrrp_packets_dropped}.
 */
enum FrameDrop {
  /** Neither IPv4 nor IPv6 in the Ethernet frame. */
  NOT_IP,
  /** An IP packet of another protocol than 112. */
  NOT_VRRP,
  /** A VRRP packet for a VRID (and family) no instance on the interface runs. */
  UNKNOWN_VRID
}
