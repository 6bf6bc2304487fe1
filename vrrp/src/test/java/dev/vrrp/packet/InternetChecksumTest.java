package dev.vrrp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {

  @Test
  void rfc1071Example() {
    // RFC 1071 1.2: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2; the checksum is its complement.
    byte[] data = {
      0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7
    };
    assertThat(new InternetChecksum().add(data).value()).isEqualTo(~0xddf2 & 0xffff);
  }

  @Test
  void oddLengthIsPaddedWithZero() {
    assertThat(new InternetChecksum().add(new byte[] {0x12, 0x34, 0x56}).value())
        .isEqualTo(new InternetChecksum().add(new byte[] {0x12, 0x34, 0x56, 0x00}).value());
  }

  @Test
  void rangesAcrossCallsSumAsOneStream() {
    byte[] all = {1, 2, 3, 4, 5, 6, 7};
    assertThat(new InternetChecksum().add(all, 0, 3).add(all, 3, 4).value())
        .isEqualTo(new InternetChecksum().add(all).value());
  }

  @Test
  void aRangeContainingItsChecksumVerifiesToZero() {
    byte[] data = {0x45, 0x00, 0x00, 0x1c, 0, 0, 0, 0};
    int sum = new InternetChecksum().add(data).value();
    data[4] = (byte) (sum >>> 8);
    data[5] = (byte) sum;
    assertThat(new InternetChecksum().add(data).value()).isZero();
  }
}
