package dev.vrrp.packet;

/** Either a decoded advertisement or the reason it was refused; decoding never throws. */
public sealed interface DecodeResult {

  record Decoded(Advertisement advertisement, V3Checksum checksumStyle) implements DecodeResult {}

  record Rejected(DecodeError error) implements DecodeResult {}

  static DecodeResult rejected(DecodeError.Reason reason, String detail) {
    return new Rejected(new DecodeError(reason, detail));
  }
}
