package dev.vrrp.packet;

import dev.vrrp.packet.DecodeError.Reason;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 datagram carrying a VRRP message: the header facts the receiver checks and the
 * payload. Parses what a capture hands us and builds what we put on the wire.
 */
public record IpDatagram(IpContext ip, int protocol, byte[] payload) {
  private static final int IPV4_HEADER = 20;
  private static final int IPV6_HEADER = 40;

  public IpDatagram {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The outcome of parsing: a datagram or why the bytes are not one we can use. */
  public sealed interface Parsed {}

  public record Ok(IpDatagram datagram) implements Parsed {}

  public record Failed(DecodeError error) implements Parsed {}

  /** Parses an IP packet that starts at {@code offset}; never throws on any input. */
  public static Parsed parse(byte[] packet, int offset, int length) {
    if (offset < 0 || length < 1 || offset + length > packet.length) {
      return failed(Reason.TOO_SHORT, "empty packet");
    }
    int version = (packet[offset] & 0xff) >>> 4;
    if (version == 4) {
      return parseIpv4(packet, offset, length);
    }
    if (version == 6) {
      return parseIpv6(packet, offset, length);
    }
    return failed(Reason.BAD_IP_HEADER, "IP version " + version);
  }

  public static Parsed parse(byte[] packet) {
    return parse(packet, 0, packet.length);
  }

  private static Parsed parseIpv4(byte[] p, int off, int len) {
    if (len < IPV4_HEADER) {
      return failed(Reason.TOO_SHORT, "IPv4 header needs 20 bytes, got " + len);
    }
    int headerLength = (p[off] & 0x0f) * 4;
    int totalLength = u16(p, off + 2);
    if (headerLength < IPV4_HEADER || totalLength < headerLength || totalLength > len) {
      return failed(
          Reason.BAD_IP_HEADER,
          "IPv4 header length " + headerLength + ", total " + totalLength + ", captured " + len);
    }
    int fragment = u16(p, off + 6);
    if ((fragment & 0x3fff) != 0) {
      return failed(Reason.BAD_IP_HEADER, "fragmented IPv4 packet");
    }
    int ttl = p[off + 8] & 0xff;
    int protocol = p[off + 9] & 0xff;
    InetAddress source = AdvertisementCodec.address(Arrays.copyOfRange(p, off + 12, off + 16));
    InetAddress destination = AdvertisementCodec.address(Arrays.copyOfRange(p, off + 16, off + 20));
    byte[] payload = Arrays.copyOfRange(p, off + headerLength, off + totalLength);
    return new Ok(new IpDatagram(new IpContext(source, destination, ttl), protocol, payload));
  }

  private static Parsed parseIpv6(byte[] p, int off, int len) {
    if (len < IPV6_HEADER) {
      return failed(Reason.TOO_SHORT, "IPv6 header needs 40 bytes, got " + len);
    }
    int payloadLength = u16(p, off + 4);
    if (IPV6_HEADER + payloadLength > len) {
      return failed(
          Reason.BAD_IP_HEADER,
          "IPv6 payload length " + payloadLength + ", captured " + (len - 40));
    }
    int nextHeader = p[off + 6] & 0xff;
    int hopLimit = p[off + 7] & 0xff;
    InetAddress source = AdvertisementCodec.address(Arrays.copyOfRange(p, off + 8, off + 24));
    InetAddress destination = AdvertisementCodec.address(Arrays.copyOfRange(p, off + 24, off + 40));
    byte[] payload = Arrays.copyOfRange(p, off + IPV6_HEADER, off + IPV6_HEADER + payloadLength);
    return new Ok(
        new IpDatagram(new IpContext(source, destination, hopLimit), nextHeader, payload));
  }

  /**
   * Builds an IPv4 (no options, DF clear) or IPv6 (no extension headers) packet around a payload.
   */
  public static byte[] build(IpContext ip, int protocol, byte[] payload, int ipv4Identification) {
    if (ip.family() == IpFamily.IPV4) {
      byte[] out = new byte[IPV4_HEADER + payload.length];
      out[0] = 0x45;
      // DSCP CS6 (network control), as keepalived and most routers mark VRRP.
      out[1] = (byte) 0xc0;
      putU16(out, 2, out.length);
      putU16(out, 4, ipv4Identification & 0xffff);
      out[8] = (byte) ip.ttl();
      out[9] = (byte) protocol;
      System.arraycopy(ip.source().getAddress(), 0, out, 12, 4);
      System.arraycopy(ip.destination().getAddress(), 0, out, 16, 4);
      putU16(out, 10, new InternetChecksum().add(out, 0, IPV4_HEADER).value());
      System.arraycopy(payload, 0, out, IPV4_HEADER, payload.length);
      return out;
    }
    byte[] out = new byte[IPV6_HEADER + payload.length];
    // Version 6, traffic class CS6, flow label 0.
    out[0] = 0x6c;
    out[1] = 0x00;
    putU16(out, 4, payload.length);
    out[6] = (byte) protocol;
    out[7] = (byte) ip.ttl();
    System.arraycopy(ip.source().getAddress(), 0, out, 8, 16);
    System.arraycopy(ip.destination().getAddress(), 0, out, 24, 16);
    System.arraycopy(payload, 0, out, IPV6_HEADER, payload.length);
    return out;
  }

  private static Failed failed(Reason reason, String detail) {
    return new Failed(new DecodeError(reason, detail));
  }

  private static int u16(byte[] p, int at) {
    return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
  }

  private static void putU16(byte[] p, int at, int value) {
    p[at] = (byte) (value >>> 8);
    p[at + 1] = (byte) value;
  }
}
