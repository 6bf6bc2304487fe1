package dev.vrrp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing (Jazzer) of what the agent does with every frame it captures: the IP
 * header parser, and the VRRP decoder on a payload with the IP facts it is judged by (family,
 * addresses, TTL), fuzzed too so the decoder's checks are reached without a valid IP checksum.
 * Nothing may throw, and an accepted advertisement must encode and decode to itself. With {@code
 * JAZZER_FUZZ=1} (the fuzz tier of {@code ./test} and CI) it runs a million inputs; without, its
 * seed inputs as a regression test. The long run is {@code benchmarks/run FuzzBenchmark}.
 */
@Tag("fuzz")
class IpPacketFuzzTest {
  private static final Set<V3Checksum> BOTH = Set.of(V3Checksum.PSEUDO_HEADER, V3Checksum.AS_V2);

  @FuzzTest(maxExecutions = 1_000_000, maxDuration = "10m")
  void capturedPacketsNeverThrowAndAcceptedOnesRoundTrip(FuzzedDataProvider data) {
    fuzzerTestOneInput(data);
  }

  /** Jazzer's command-line entry point, for the long run. */
  public static void fuzzerTestOneInput(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      byte[] frame = data.consumeRemainingAsBytes();
      if (IpDatagram.parse(frame) instanceof IpDatagram.Ok ok) {
        byte[] payload = ok.datagram().payload();
        decodeAndRoundTrip(payload, ok.datagram().ip());
      }
      return;
    }
    int length = data.consumeBoolean() ? 16 : 4;
    IpContext ip =
        new IpContext(
            AdvertisementCodec.address(padded(data.consumeBytes(length), length)),
            AdvertisementCodec.address(padded(data.consumeBytes(length), length)),
            data.consumeBoolean() ? IpContext.REQUIRED_TTL : data.consumeInt(0, 255));
    V3Checksum style = data.pickValue(V3Checksum.values());
    boolean fixChecksum = data.consumeBoolean();
    byte[] payload = data.consumeRemainingAsBytes();
    if (fixChecksum && payload.length >= 8) {
      // a valid checksum, so that mutations reach the checks behind it
      payload[6] = 0;
      payload[7] = 0;
      int version = (payload[0] & 0xff) >>> 4;
      int sum = AdvertisementCodec.checksum(payload, 0, payload.length, version, ip, style);
      payload[6] = (byte) (sum >>> 8);
      payload[7] = (byte) sum;
    }
    decodeAndRoundTrip(payload, ip);
  }

  private static byte[] padded(byte[] given, int length) {
    byte[] raw = new byte[length];
    System.arraycopy(given, 0, raw, 0, given.length);
    return raw;
  }

  private static void decodeAndRoundTrip(byte[] payload, IpContext ip) {
    DecodeResult result = AdvertisementCodec.decode(payload, 0, payload.length, ip, BOTH);
    if (result instanceof DecodeResult.Decoded decoded) {
      byte[] again =
          AdvertisementCodec.encode(decoded.advertisement(), ip, decoded.checksumStyle());
      DecodeResult second = AdvertisementCodec.decode(again, ip);
      assertThat(second).isInstanceOf(DecodeResult.Decoded.class);
      assertThat(((DecodeResult.Decoded) second).advertisement())
          .isEqualTo(decoded.advertisement());
    }
  }
}
