package dev.vrrp.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throws random and mutated bytes at the IP parser and the VRRP decoder. No input may make them
 * throw, and whatever they accept must round-trip. CI runs 1,000,000 inputs ({@code -Dfuzz.tries});
 * a longer run raises it and may change {@code -Dfuzz.seed}.
 */
@Tag("fuzz")
class DecoderFuzzTest {
  private static final Set<V3Checksum> BOTH = Set.of(V3Checksum.PSEUDO_HEADER, V3Checksum.AS_V2);

  @Test
  void noInputEscapesAsAnExceptionAndAcceptedInputsRoundTrip() {
    long tries = Long.getLong("fuzz.tries", 1_000_000L);
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    RandomPackets packets = new RandomPackets(seed);
    Map<DecodeError.Reason, Long> rejected = new EnumMap<>(DecodeError.Reason.class);
    long accepted = 0;
    long started = System.nanoTime();
    for (long i = 0; i < tries; i++) {
      RandomPackets.Sample sample = packets.sample();
      int kind = (int) (i % 10);
      byte[] input;
      IpContext ip = sample.ip();
      boolean wholeIpPacket = kind >= 8;
      if (kind < 6) {
        input = packets.mutate(sample.encode());
      } else if (kind < 8) {
        input = packets.noise();
      } else {
        byte[] packet = IpDatagram.build(ip, 112, sample.encode(), (int) i);
        input = kind == 8 ? packets.mutate(packet) : packets.noise();
      }
      try {
        DecodeResult result;
        if (wholeIpPacket) {
          IpDatagram.Parsed parsed = IpDatagram.parse(input);
          if (parsed instanceof IpDatagram.Failed failed) {
            rejected.merge(failed.error().reason(), 1L, Long::sum);
            continue;
          }
          IpDatagram datagram = ((IpDatagram.Ok) parsed).datagram();
          ip = datagram.ip();
          byte[] payload = datagram.payload();
          result = AdvertisementCodec.decode(payload, 0, payload.length, ip, BOTH);
        } else {
          result = AdvertisementCodec.decode(input, 0, input.length, ip, BOTH);
        }
        if (result instanceof DecodeResult.Decoded decoded) {
          accepted++;
          byte[] again =
              AdvertisementCodec.encode(decoded.advertisement(), ip, decoded.checksumStyle());
          DecodeResult second = AdvertisementCodec.decode(again, ip);
          assertThat(second)
              .as("re-decoding accepted input %d (seed %d)", i, seed)
              .isInstanceOf(DecodeResult.Decoded.class);
          assertThat(((DecodeResult.Decoded) second).advertisement())
              .isEqualTo(decoded.advertisement());
        } else {
          rejected.merge(((DecodeResult.Rejected) result).error().reason(), 1L, Long::sum);
        }
      } catch (RuntimeException e) {
        fail("input %d (seed %d) threw: %s", i, seed, e, e);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "decoder fuzz: %d inputs in %.1f s (seed %d): %d accepted, rejected %s%n",
        tries, seconds, seed, accepted, rejected);
    assertThat(accepted).as("some mutations stay valid (e.g. a flipped priority bit)").isPositive();
    assertThat(rejected)
        .as("the mutations reach the deep checks")
        .containsKeys(
            DecodeError.Reason.BAD_CHECKSUM,
            DecodeError.Reason.BAD_ADDRESS_COUNT,
            DecodeError.Reason.BAD_VERSION);
  }
}
