package dev.vrrp.packet;

import static dev.vrrp.packet.RandomPackets.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vrrp.packet.DecodeError.Reason;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdvertisementCodecTest {
  private static final IpContext V4 = IpContext.outgoing(parse("192.0.2.1"), parse("224.0.0.18"));
  private static final IpContext V6 = IpContext.outgoing(parse("fe80::1"), parse("ff02::12"));
  private static final Set<V3Checksum> BOTH = Set.of(V3Checksum.PSEUDO_HEADER, V3Checksum.AS_V2);

  @Test
  void encodesVersion3Ipv4FieldByField() {
    byte[] out =
        AdvertisementCodec.encode(
            Advertisement.v3(51, 150, 100, List.of(parse("192.0.2.100"))), V4);
    assertThat(HexFormat.of().formatHex(out, 0, 6)).isEqualTo("313396010064");
    assertThat(HexFormat.of().formatHex(out, 8, 12)).isEqualTo("c0000264");
    assertThat(out).hasSize(12);
  }

  @Test
  void encodesVersion2WithPassword() {
    byte[] out =
        AdvertisementCodec.encode(
            Advertisement.v2(51, 150, 1, List.of(parse("192.0.2.100")), "1111"), V4);
    assertThat(HexFormat.of().formatHex(out))
        .startsWith("21339601" + "0101")
        .endsWith("c0000264" + "3131313100000000");
    assertThat(new InternetChecksum().add(out).value()).isZero();
  }

  @Test
  void v3Ipv4ChecksumStylesDifferAndAreAcceptedAsConfigured() {
    Advertisement adv = Advertisement.v3(7, 100, 100, List.of(parse("192.0.2.100")));
    byte[] rfc = AdvertisementCodec.encode(adv, V4, V3Checksum.PSEUDO_HEADER);
    byte[] asV2 = AdvertisementCodec.encode(adv, V4, V3Checksum.AS_V2);
    assertThat(rfc).isNotEqualTo(asV2);
    assertThat(decode(rfc, V4, Set.of(V3Checksum.PSEUDO_HEADER)))
        .isEqualTo(new DecodeResult.Decoded(adv, V3Checksum.PSEUDO_HEADER));
    assertThat(decode(asV2, V4, Set.of(V3Checksum.AS_V2)))
        .isEqualTo(new DecodeResult.Decoded(adv, V3Checksum.AS_V2));
    assertThat(reason(decode(asV2, V4, Set.of(V3Checksum.PSEUDO_HEADER))))
        .isEqualTo(Reason.BAD_CHECKSUM);
    assertThat(reason(decode(rfc, V4, Set.of(V3Checksum.AS_V2)))).isEqualTo(Reason.BAD_CHECKSUM);
    assertThat(decode(asV2, V4, BOTH)).isInstanceOf(DecodeResult.Decoded.class);
  }

  @Test
  void v3ChecksumCoversThePseudoHeaderAddresses() {
    Advertisement adv = Advertisement.v3(7, 100, 100, List.of(parse("192.0.2.100")));
    byte[] out = AdvertisementCodec.encode(adv, V4);
    IpContext otherSource = IpContext.outgoing(parse("192.0.2.2"), parse("224.0.0.18"));
    assertThat(reason(decode(out, otherSource, Set.of(V3Checksum.PSEUDO_HEADER))))
        .isEqualTo(Reason.BAD_CHECKSUM);
  }

  @Test
  void ipv6AlwaysUsesThePseudoHeader() {
    Advertisement adv =
        Advertisement.v3(9, 200, 100, List.of(parse("2001:db8::100"), parse("2001:db8::101")));
    byte[] out = AdvertisementCodec.encode(adv, V6, V3Checksum.AS_V2);
    assertThat(out).hasSize(8 + 32);
    assertThat(decode(out, V6, Set.of(V3Checksum.AS_V2)))
        .isEqualTo(new DecodeResult.Decoded(adv, V3Checksum.PSEUDO_HEADER));
  }

  @Test
  void reservedBitsAreIgnoredOnReceipt() {
    byte[] out =
        AdvertisementCodec.encode(
            Advertisement.v3(9, 200, 100, List.of(parse("192.0.2.9"))), V4, V3Checksum.AS_V2);
    out[4] |= (byte) 0xf0;
    assertThat(decode(rechecksummed(out, V3Checksum.AS_V2), V4, BOTH))
        .isInstanceOf(DecodeResult.Decoded.class);
  }

  @Test
  void rejectsEachMalformationWithItsReason() {
    byte[] v3 =
        AdvertisementCodec.encode(Advertisement.v3(9, 200, 100, List.of(parse("192.0.2.9"))), V4);
    byte[] v2 =
        AdvertisementCodec.encode(
            Advertisement.v2(9, 200, 1, List.of(parse("192.0.2.9")), "secret"), V4);

    assertThat(reason(decode(new byte[7], V4, BOTH))).isEqualTo(Reason.TOO_SHORT);
    assertThat(reason(decode(v3, new IpContext(V4.source(), V4.destination(), 254), BOTH)))
        .isEqualTo(Reason.BAD_TTL);
    assertThat(reason(decode(patch(v3, 0, 0x41), V4, BOTH))).isEqualTo(Reason.BAD_VERSION);
    assertThat(reason(decode(patch(v3, 0, 0x32), V4, BOTH))).isEqualTo(Reason.BAD_TYPE);
    assertThat(reason(decode(patch(v3, 1, 0), V4, BOTH))).isEqualTo(Reason.BAD_VRID);
    assertThat(reason(decode(patch(v3, 3, 0), V4, BOTH))).isEqualTo(Reason.BAD_ADDRESS_COUNT);
    assertThat(reason(decode(patch(v3, 3, 2), V4, BOTH))).isEqualTo(Reason.BAD_ADDRESS_COUNT);
    assertThat(reason(decode(Arrays.copyOf(v3, 13), V4, BOTH))).isEqualTo(Reason.BAD_LENGTH);
    assertThat(reason(decode(patch(v3, 9, 1), V4, BOTH))).isEqualTo(Reason.BAD_CHECKSUM);
    assertThat(reason(decode(rechecksummed(patch(v3, 5, 0), V3Checksum.AS_V2), V4, BOTH)))
        .isEqualTo(Reason.BAD_INTERVAL);
    assertThat(reason(decode(rechecksummed(patch(v2, 4, 2), V3Checksum.AS_V2), V4, BOTH)))
        .isEqualTo(Reason.BAD_AUTH_TYPE);
    assertThat(reason(decode(rechecksummed(patch(v2, 4, 7), V3Checksum.AS_V2), V4, BOTH)))
        .isEqualTo(Reason.BAD_AUTH_TYPE);
    assertThat(reason(decode(rechecksummed(patch(v2, 5, 0), V3Checksum.AS_V2), V4, BOTH)))
        .isEqualTo(Reason.BAD_INTERVAL);
    assertThat(reason(decode(v2, V6, BOTH))).isEqualTo(Reason.BAD_VERSION);
  }

  @Test
  void rejectsAnOutOfRangeBufferSliceWithoutThrowing() {
    assertThat(reason(AdvertisementCodec.decode(new byte[10], 8, 5, V4, BOTH)))
        .isEqualTo(Reason.TOO_SHORT);
    assertThat(reason(AdvertisementCodec.decode(new byte[10], -1, 5, V4, BOTH)))
        .isEqualTo(Reason.TOO_SHORT);
  }

  @Test
  void v2AuthNoneCarriesEightZeroBytes() {
    byte[] out =
        AdvertisementCodec.encode(
            Advertisement.v2(1, 100, 1, List.of(parse("192.0.2.9")), null), V4);
    assertThat(out).hasSize(20);
    assertThat(Arrays.copyOfRange(out, 12, 20)).containsOnly(0);
  }

  @Test
  void refusesToBuildInvalidAdvertisements() {
    assertThatThrownBy(() -> Advertisement.v2(1, 100, 1, List.of(parse("192.0.2.9")), "123456789"))
        .hasMessageContaining("at most 8");
    assertThatThrownBy(() -> Advertisement.v3(0, 100, 100, List.of(parse("192.0.2.9"))))
        .hasMessageContaining("virtualRouterId");
    assertThatThrownBy(() -> Advertisement.v3(1, 100, 4096, List.of(parse("192.0.2.9"))))
        .hasMessageContaining("4095");
    assertThatThrownBy(
            () -> Advertisement.v3(1, 100, 100, List.of(parse("192.0.2.9"), parse("2001:db8::1"))))
        .hasMessageContaining("mix");
    assertThatThrownBy(() -> Advertisement.v2(1, 100, 1, List.of(parse("2001:db8::1")), null))
        .hasMessageContaining("IPv4 addresses only");
    assertThatThrownBy(
            () ->
                AdvertisementCodec.encode(
                    Advertisement.v3(1, 100, 100, List.of(parse("192.0.2.9"))), V6))
        .hasMessageContaining("travels in IPV6");
  }

  @Test
  void ipv4MappedIpv6AddressesStayIpv6() {
    byte[] raw = new byte[16];
    raw[10] = (byte) 0xff;
    raw[11] = (byte) 0xff;
    raw[12] = (byte) 192;
    raw[15] = 1;
    Advertisement adv = Advertisement.v3(9, 200, 100, List.of(AdvertisementCodec.address(raw)));
    assertThat(decode(AdvertisementCodec.encode(adv, V6), V6, BOTH))
        .isInstanceOf(DecodeResult.Decoded.class);
  }

  private static DecodeResult decode(byte[] message, IpContext ip, Set<V3Checksum> accepted) {
    return AdvertisementCodec.decode(message, 0, message.length, ip, accepted);
  }

  private static Reason reason(DecodeResult result) {
    assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
    return ((DecodeResult.Rejected) result).error().reason();
  }

  private static byte[] patch(byte[] message, int at, int value) {
    byte[] out = message.clone();
    out[at] = (byte) value;
    return out;
  }

  private static byte[] rechecksummed(byte[] message, V3Checksum style) {
    byte[] out = message.clone();
    out[6] = 0;
    out[7] = 0;
    int sum = new InternetChecksum().add(out).value();
    out[6] = (byte) (sum >>> 8);
    out[7] = (byte) sum;
    return out;
  }
}
