package dev.vrrp.agent.net;

import java.util.Arrays;

/** Ethernet II framing around IP packets: what pcap hands us and what it sends. */
public final class EthernetFrame {
  public static final int ETHERTYPE_IPV4 = 0x0800;
  public static final int ETHERTYPE_ARP = 0x0806;
  public static final int ETHERTYPE_IPV6 = 0x86dd;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int HEADER = 14;

  private EthernetFrame() {}

  public static byte[] wrap(
      MacAddress destination, MacAddress source, int etherType, byte[] payload) {
    byte[] frame = new byte[HEADER + payload.length];
    System.arraycopy(destination.bytes(), 0, frame, 0, 6);
    System.arraycopy(source.bytes(), 0, frame, 6, 6);
    frame[12] = (byte) (etherType >>> 8);
    frame[13] = (byte) etherType;
    System.arraycopy(payload, 0, frame, HEADER, payload.length);
    return frame;
  }

  /** The IP packet inside a frame (skipping one VLAN tag), or null when the frame carries no IP. */
  public static byte[] ipPayload(byte[] frame) {
    if (frame == null || frame.length < HEADER) {
      return null;
    }
    int at = 12;
    int type = ((frame[at] & 0xff) << 8) | (frame[at + 1] & 0xff);
    if (type == ETHERTYPE_VLAN && frame.length >= HEADER + 4) {
      at += 4;
      type = ((frame[at] & 0xff) << 8) | (frame[at + 1] & 0xff);
    }
    if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6) {
      return null;
    }
    return Arrays.copyOfRange(frame, at + 2, frame.length);
  }

  public static MacAddress source(byte[] frame) {
    return new MacAddress(Arrays.copyOfRange(frame, 6, 12));
  }
}
