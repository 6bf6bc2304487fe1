package dev.vrrp.packet;

import static dev.vrrp.packet.RandomPackets.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Packets captured from the real keepalived 2.2.7 (scripts/capture-keepalived-golden.sh; settings
 * in golden/keepalived/README.md) decode to the configured fields, and our encoder reproduces them
 * byte for byte: the VRRP message always, the whole IP packet given keepalived's IPv4 ID.
 */
class KeepalivedGoldenTest {
  private static final Set<V3Checksum> RFC_ONLY = Set.of(V3Checksum.PSEUDO_HEADER);

  @Test
  void v2WithPassAuthentication() throws IOException {
    Advertisement expected =
        Advertisement.v2(51, 150, 1, List.of(parse("192.0.2.100"), parse("192.0.2.101")), "1111");
    assertGolden(
        "v2-pass-ipv4", expected, parse("192.0.2.1"), parse("224.0.0.18"), V3Checksum.AS_V2);
  }

  @Test
  void v3Ipv4() throws IOException {
    assertGolden(
        "v3-ipv4",
        Advertisement.v3(52, 150, 100, List.of(parse("192.0.2.110"))),
        parse("192.0.2.1"),
        parse("224.0.0.18"),
        V3Checksum.PSEUDO_HEADER);
  }

  @Test
  void v3Ipv4At100Milliseconds() throws IOException {
    assertGolden(
        "v3-ipv4-100ms",
        Advertisement.v3(55, 150, 10, List.of(parse("192.0.2.120"), parse("192.0.2.121"))),
        parse("192.0.2.1"),
        parse("224.0.0.18"),
        V3Checksum.PSEUDO_HEADER);
  }

  @Test
  void v3PriorityZeroOnGracefulStop() throws IOException {
    assertGolden(
        "v3-priority0-ipv4",
        Advertisement.v3(52, 0, 100, List.of(parse("192.0.2.110"))),
        parse("192.0.2.1"),
        parse("224.0.0.18"),
        V3Checksum.PSEUDO_HEADER);
  }

  @Test
  void v3Ipv4Unicast() throws IOException {
    assertGolden(
        "v3-ipv4-unicast",
        Advertisement.v3(56, 150, 100, List.of(parse("192.0.2.130"))),
        parse("192.0.2.1"),
        parse("192.0.2.2"),
        V3Checksum.PSEUDO_HEADER);
  }

  @Test
  void v3Ipv6FromTheLinkLocalAddress() throws IOException {
    assertGolden(
        "v3-ipv6",
        Advertisement.v3(54, 150, 100, List.of(parse("2001:db8::100"), parse("2001:db8::101"))),
        parse("fe80::200:5eff:fe00:5301"),
        parse("ff02::12"),
        V3Checksum.PSEUDO_HEADER);
  }

  @Test
  void keepalivedsOldUnicastChecksumIsRefusedLikeWiresharkRefusesIt() throws IOException {
    // keepalived's old_unicast_checksum sums the pseudo-header with 224.0.0.18 even for unicast:
    // neither the RFC nor the v2 style, so it is counted as a bad checksum.
    IpDatagram datagram = datagram("v3-ipv4-unicast-old-checksum");
    byte[] payload = datagram.payload();
    DecodeResult result =
        AdvertisementCodec.decode(
            payload,
            0,
            payload.length,
            datagram.ip(),
            Set.of(V3Checksum.PSEUDO_HEADER, V3Checksum.AS_V2));
    assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
    assertThat(((DecodeResult.Rejected) result).error().reason())
        .isEqualTo(DecodeError.Reason.BAD_CHECKSUM);
  }

  private static void assertGolden(
      String name,
      Advertisement expected,
      InetAddress source,
      InetAddress destination,
      V3Checksum style)
      throws IOException {
    byte[] captured = packet(name);
    IpDatagram datagram = datagram(name);
    assertThat(datagram.ip()).isEqualTo(new IpContext(source, destination, 255));
    assertThat(datagram.protocol()).isEqualTo(112);

    byte[] payload = datagram.payload();
    DecodeResult result =
        AdvertisementCodec.decode(
            payload,
            0,
            payload.length,
            datagram.ip(),
            expected.version() == 3 ? RFC_ONLY : Set.of(V3Checksum.AS_V2));
    assertThat(result).isEqualTo(new DecodeResult.Decoded(expected, style));

    assertThat(HexFormat.of().formatHex(AdvertisementCodec.encode(expected, datagram.ip(), style)))
        .as("our VRRP message, byte for byte")
        .isEqualTo(HexFormat.of().formatHex(payload));

    int ipv4Id = ((captured[4] & 0xff) << 8) | (captured[5] & 0xff);
    byte[] ours = IpDatagram.build(datagram.ip(), 112, payload, ipv4Id);
    if (datagram.ip().family() == IpFamily.IPV6) {
      // The kernel picks the IPv6 flow label; it is not ours to reproduce.
      ours[1] = (byte) ((ours[1] & 0xf0) | (captured[1] & 0x0f));
      ours[2] = captured[2];
      ours[3] = captured[3];
    }
    assertThat(HexFormat.of().formatHex(ours))
        .as("our whole IP packet")
        .isEqualTo(HexFormat.of().formatHex(captured));
  }

  private static IpDatagram datagram(String name) throws IOException {
    IpDatagram.Parsed parsed = IpDatagram.parse(packet(name));
    assertThat(parsed).isInstanceOf(IpDatagram.Ok.class);
    return ((IpDatagram.Ok) parsed).datagram();
  }

  static byte[] packet(String name) throws IOException {
    try (InputStream in =
        KeepalivedGoldenTest.class.getResourceAsStream("/golden/keepalived/" + name + ".hex")) {
      String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\\s+", "");
      return HexFormat.of().parseHex(hex);
    }
  }
}
