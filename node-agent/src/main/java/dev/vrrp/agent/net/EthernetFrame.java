package dev.vrrp.agent.net;

import dev.vrrp.packet.IpFamily;
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
    int at = typeOffset(frame);
    if (at < 0) {
      return null;
    }
    return Arrays.copyOfRange(frame, at + 2, frame.length);
  }

  /** The family of the IP packet a frame carries (skipping one VLAN tag), or null if none. */
  public static IpFamily family(byte[] frame) {
    int at = typeOffset(frame);
    if (at < 0) {
      return null;
    }
    return type(frame, at) == ETHERTYPE_IPV4 ? IpFamily.IPV4 : IpFamily.IPV6;
  }

  // where the IPv4 or IPv6 EtherType sits, or -1 when the frame carries neither
  private static int typeOffset(byte[] frame) {
    if (frame == null || frame.length < HEADER) {
      return -1;
    }
    int at = 12;
    if (type(frame, at) == ETHERTYPE_VLAN && frame.length >= HEADER + 4) {
      at += 4;
    }
    int type = type(frame, at);
    return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6 ? at : -1;
  }

  private static int type(byte[] frame, int at) {
    return ((frame[at] & 0xff) << 8) | (frame[at + 1] & 0xff);
  }

  public static MacAddress source(byte[] frame) {
    return new MacAddress(Arrays.copyOfRange(frame, 6, 12));
  }
}
