package dev.vrrp.packet;

import dev.vrrp.packet.DecodeError.Reason;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Bytes to {@link Advertisement} and back, for VRRPv2 (RFC 3768 section 5) and VRRPv3 (RFC 5798
 * section 5). The VRRP message starts right after the IP header:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * v3: |(rsvd) |     Max Adver Int     |          Checksum             |
 * v2: |   Auth Type   |   Adver Int   |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 IPvX Address(es), Count of them                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * v2 only: |            Authentication Data, 8 bytes                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class AdvertisementCodec {
  public static final int IP_PROTOCOL_VRRP = 112;
  static final int HEADER_LENGTH = 8;

  private AdvertisementCodec() {}

  /** Encodes with the RFC 5798 pseudo-header checksum for v3. */
  public static byte[] encode(Advertisement advertisement, IpContext ip) {
    return encode(advertisement, ip, V3Checksum.PSEUDO_HEADER);
  }

  /**
   * Encodes the VRRP message. The IP addresses are needed because the v3 checksum covers them.
   *
   * @param v3Style ignored for v2 and for IPv6, where only one checksum style exists
   */
  public static byte[] encode(Advertisement advertisement, IpContext ip, V3Checksum v3Style) {
    if (advertisement.family() != ip.family()) {
      throw new IllegalArgumentException(
          "advertisement carries "
              + advertisement.family()
              + " addresses but travels in "
              + ip.family());
    }
    int addressLength = ip.family().addressLength();
    List<InetAddress> addresses = advertisement.addresses();
    boolean v2 = advertisement.version() == 2;
    byte[] out = new byte[messageLength(advertisement.version(), addresses.size(), addressLength)];
    out[0] = (byte) ((advertisement.version() << 4) | Advertisement.TYPE_ADVERTISEMENT);
    out[1] = (byte) advertisement.virtualRouterId();
    out[2] = (byte) advertisement.priority();
    out[3] = (byte) addresses.size();
    if (v2) {
      out[4] = (byte) advertisement.authType().code();
      out[5] = (byte) (advertisement.intervalCentis() / 100);
    } else {
      out[4] = (byte) ((advertisement.intervalCentis() >>> 8) & 0x0f);
      out[5] = (byte) advertisement.intervalCentis();
    }
    int at = HEADER_LENGTH;
    for (InetAddress address : addresses) {
      System.arraycopy(address.getAddress(), 0, out, at, addressLength);
      at += addressLength;
    }
    if (v2) {
      byte[] auth = advertisement.authData();
      System.arraycopy(auth, 0, out, at, auth.length);
    }
    int checksum = checksum(out, 0, out.length, advertisement.version(), ip, v3Style);
    out[6] = (byte) (checksum >>> 8);
    out[7] = (byte) checksum;
    return out;
  }

  public static DecodeResult decode(byte[] message, IpContext ip) {
    return decode(
        message, 0, message.length, ip, Set.of(V3Checksum.PSEUDO_HEADER, V3Checksum.AS_V2));
  }

  /**
   * Decodes and validates one VRRP message per RFC 5798 7.1 and RFC 3768 7.1, up to the checks that
   * need the local configuration (VRID, authentication secret, interval), which belong to the
   * instance. Never throws on any input.
   *
   * @param acceptedV3Styles which v3 IPv4 checksum styles to accept; IPv6 always needs the
   *     pseudo-header
   */
  public static DecodeResult decode(
      byte[] message, int offset, int length, IpContext ip, Set<V3Checksum> acceptedV3Styles) {
    if (offset < 0 || length < 0 || offset + length > message.length) {
      return DecodeResult.rejected(Reason.TOO_SHORT, "range outside the buffer");
    }
    if (length < HEADER_LENGTH) {
      return DecodeResult.rejected(Reason.TOO_SHORT, length + " bytes, a VRRP header has 8");
    }
    if (ip.ttl() != IpContext.REQUIRED_TTL) {
      return DecodeResult.rejected(Reason.BAD_TTL, "TTL/hop limit " + ip.ttl() + ", must be 255");
    }
    int version = (message[offset] & 0xff) >>> 4;
    int type = message[offset] & 0x0f;
    if (version != 2 && version != 3) {
      return DecodeResult.rejected(Reason.BAD_VERSION, "version " + version);
    }
    if (version == 2 && ip.family() == IpFamily.IPV6) {
      return DecodeResult.rejected(Reason.BAD_VERSION, "VRRPv2 over IPv6");
    }
    if (type != Advertisement.TYPE_ADVERTISEMENT) {
      return DecodeResult.rejected(Reason.BAD_TYPE, "type " + type);
    }
    int vrid = message[offset + 1] & 0xff;
    int priority = message[offset + 2] & 0xff;
    int count = message[offset + 3] & 0xff;
    int addressLength = ip.family().addressLength();
    if (vrid == 0) {
      return DecodeResult.rejected(Reason.BAD_VRID, "virtual router id 0");
    }
    if (count == 0) {
      return DecodeResult.rejected(Reason.BAD_ADDRESS_COUNT, "address count 0");
    }
    int expected = messageLength(version, count, addressLength);
    if (length < expected) {
      return DecodeResult.rejected(
          Reason.BAD_ADDRESS_COUNT,
          "count " + count + " needs " + expected + " bytes, got " + length);
    }
    if (length > expected) {
      return DecodeResult.rejected(
          Reason.BAD_LENGTH, "count " + count + " needs " + expected + " bytes, got " + length);
    }
    V3Checksum style = verifyChecksum(message, offset, length, version, ip, acceptedV3Styles);
    if (style == null) {
      return DecodeResult.rejected(
          Reason.BAD_CHECKSUM,
          "checksum 0x"
              + Integer.toHexString(
                  ((message[offset + 6] & 0xff) << 8) | (message[offset + 7] & 0xff)));
    }
    int intervalCentis;
    AuthType authType = AuthType.NONE;
    byte[] authData = new byte[0];
    if (version == 2) {
      authType = AuthType.fromCode(message[offset + 4] & 0xff);
      if (authType == null || authType == AuthType.IP_AH) {
        return DecodeResult.rejected(
            Reason.BAD_AUTH_TYPE, "auth type " + (message[offset + 4] & 0xff));
      }
      intervalCentis = (message[offset + 5] & 0xff) * 100;
      if (authType == AuthType.SIMPLE_TEXT) {
        int authAt = offset + expected - Advertisement.V2_AUTH_DATA_LENGTH;
        authData = Arrays.copyOfRange(message, authAt, authAt + Advertisement.V2_AUTH_DATA_LENGTH);
      }
    } else {
      intervalCentis = ((message[offset + 4] & 0x0f) << 8) | (message[offset + 5] & 0xff);
    }
    if (intervalCentis == 0) {
      return DecodeResult.rejected(Reason.BAD_INTERVAL, "advertisement interval 0");
    }
    List<InetAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = offset + HEADER_LENGTH + i * addressLength;
      addresses.add(address(Arrays.copyOfRange(message, at, at + addressLength)));
    }
    return new DecodeResult.Decoded(
        new Advertisement(version, vrid, priority, intervalCentis, addresses, authType, authData),
        style);
  }

  static int messageLength(int version, int count, int addressLength) {
    return HEADER_LENGTH
        + count * addressLength
        + (version == 2 ? Advertisement.V2_AUTH_DATA_LENGTH : 0);
  }

  private static V3Checksum verifyChecksum(
      byte[] message, int offset, int length, int version, IpContext ip, Set<V3Checksum> accepted) {
    if (version == 2) {
      return new InternetChecksum().add(message, offset, length).value() == 0
          ? V3Checksum.AS_V2
          : null;
    }
    if (ip.family() == IpFamily.IPV6 || accepted.contains(V3Checksum.PSEUDO_HEADER)) {
      if (pseudoHeaderSum(ip, length).add(message, offset, length).value() == 0) {
        return V3Checksum.PSEUDO_HEADER;
      }
    }
    if (ip.family() == IpFamily.IPV4 && accepted.contains(V3Checksum.AS_V2)) {
      if (new InternetChecksum().add(message, offset, length).value() == 0) {
        return V3Checksum.AS_V2;
      }
    }
    return null;
  }

  /** The checksum over the message as it is (package-private: the fuzz harness fixes one up). */
  static int checksum(
      byte[] message, int offset, int length, int version, IpContext ip, V3Checksum style) {
    boolean pseudo =
        version == 3 && (ip.family() == IpFamily.IPV6 || style == V3Checksum.PSEUDO_HEADER);
    InternetChecksum sum = pseudo ? pseudoHeaderSum(ip, length) : new InternetChecksum();
    return sum.add(message, offset, length).value();
  }

  /** RFC 5798 5.2.8: IPv4 (RFC 791) or IPv6 (RFC 8200 8.1) pseudo-header with protocol 112. */
  private static InternetChecksum pseudoHeaderSum(IpContext ip, int length) {
    InternetChecksum sum =
        new InternetChecksum().add(ip.source().getAddress()).add(ip.destination().getAddress());
    if (ip.family() == IpFamily.IPV4) {
      return sum.addShort(IP_PROTOCOL_VRRP).addShort(length);
    }
    return sum.addInt(length).addInt(IP_PROTOCOL_VRRP);
  }

  /** Never yields an Inet4Address for 16 bytes, even for IPv4-mapped IPv6 addresses. */
  static InetAddress address(byte[] raw) {
    try {
      return raw.length == 16
          ? Inet6Address.getByAddress(null, raw, -1)
          : InetAddress.getByAddress(raw);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException("a 4- or 16-byte address is always valid", impossible);
    }
  }
}
