package dev.vrrp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property: every valid advertisement survives encode then decode unchanged, whatever its fields.
 */
class AdvertisementRoundTripTest {
  private static final int SAMPLES = 20_000;

  @Test
  void everyValidAdvertisementRoundTrips() {
    RandomPackets packets = new RandomPackets(Long.getLong("roundtrip.seed", 5798L));
    for (int i = 0; i < SAMPLES; i++) {
      RandomPackets.Sample sample = packets.sample();
      byte[] bytes = sample.encode();
      DecodeResult result =
          AdvertisementCodec.decode(bytes, 0, bytes.length, sample.ip(), Set.of(sample.style()));
      assertThat(result).as("sample %d: %s", i, sample).isInstanceOf(DecodeResult.Decoded.class);
      assertThat(((DecodeResult.Decoded) result).advertisement())
          .as("sample %d", i)
          .isEqualTo(sample.advertisement());
      assertThat(
              AdvertisementCodec.encode(
                  ((DecodeResult.Decoded) result).advertisement(), sample.ip(), sample.style()))
          .isEqualTo(bytes);
    }
  }

  @Test
  void everyValidIpDatagramRoundTrips() {
    RandomPackets packets = new RandomPackets(3768L);
    for (int i = 0; i < SAMPLES / 4; i++) {
      RandomPackets.Sample sample = packets.sample();
      byte[] payload = sample.encode();
      byte[] packet =
          IpDatagram.build(sample.ip(), AdvertisementCodec.IP_PROTOCOL_VRRP, payload, i);
      IpDatagram.Parsed parsed = IpDatagram.parse(packet);
      assertThat(parsed).isInstanceOf(IpDatagram.Ok.class);
      IpDatagram datagram = ((IpDatagram.Ok) parsed).datagram();
      assertThat(datagram.ip()).isEqualTo(sample.ip());
      assertThat(datagram.protocol()).isEqualTo(112);
      assertThat(datagram.payload()).isEqualTo(payload);
    }
  }
}
