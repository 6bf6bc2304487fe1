package dev.vrrp.packet;

import static dev.vrrp.packet.RandomPackets.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.packet.DecodeError.Reason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpDatagramTest {
  private static final IpContext V4 = IpContext.outgoing(parse("192.0.2.1"), parse("224.0.0.18"));

  @Test
  void buildsAValidIpv4Header() {
    byte[] payload =
        AdvertisementCodec.encode(Advertisement.v3(1, 100, 100, List.of(parse("192.0.2.100"))), V4);
    byte[] packet = IpDatagram.build(V4, 112, payload, 0x1234);
    assertThat(packet).hasSize(20 + payload.length);
    assertThat(packet[8] & 0xff).as("TTL").isEqualTo(255);
    assertThat(packet[9] & 0xff).as("protocol").isEqualTo(112);
    assertThat(new InternetChecksum().add(packet, 0, 20).value())
        .as("header checksum verifies")
        .isZero();
  }

  @Test
  void ipv6HeaderCarriesHopLimitAndNextHeader() {
    IpContext v6 = IpContext.outgoing(parse("fe80::1"), parse("ff02::12"));
    byte[] payload =
        AdvertisementCodec.encode(Advertisement.v3(1, 100, 100, List.of(parse("2001:db8::1"))), v6);
    byte[] packet = IpDatagram.build(v6, 112, payload, 0);
    assertThat(packet[6] & 0xff).isEqualTo(112);
    assertThat(packet[7] & 0xff).isEqualTo(255);
    assertThat(((IpDatagram.Ok) IpDatagram.parse(packet)).datagram().ip()).isEqualTo(v6);
  }

  @Test
  void trailingLinkLayerPaddingIsIgnored() {
    byte[] payload =
        AdvertisementCodec.encode(Advertisement.v3(1, 100, 100, List.of(parse("192.0.2.100"))), V4);
    byte[] packet = Arrays.copyOf(IpDatagram.build(V4, 112, payload, 1), 60);
    assertThat(((IpDatagram.Ok) IpDatagram.parse(packet)).datagram().payload()).isEqualTo(payload);
  }

  @Test
  void refusesBrokenHeaders() {
    byte[] packet = IpDatagram.build(V4, 112, new byte[12], 1);
    assertThat(failure(new byte[0])).isEqualTo(Reason.TOO_SHORT);
    assertThat(failure(new byte[] {0x75})).isEqualTo(Reason.BAD_IP_HEADER);
    assertThat(failure(Arrays.copyOf(packet, 19))).isEqualTo(Reason.TOO_SHORT);
    byte[] truncated = Arrays.copyOf(packet, 25);
    assertThat(failure(truncated)).isEqualTo(Reason.BAD_IP_HEADER);
    byte[] fragment = packet.clone();
    fragment[7] = 1;
    assertThat(failure(fragment)).isEqualTo(Reason.BAD_IP_HEADER);
  }

  private static Reason failure(byte[] packet) {
    IpDatagram.Parsed parsed = IpDatagram.parse(packet);
    assertThat(parsed).isInstanceOf(IpDatagram.Failed.class);
    return ((IpDatagram.Failed) parsed).error().reason();
  }
}
