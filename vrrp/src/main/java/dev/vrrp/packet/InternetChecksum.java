package dev.vrrp.packet;

/** The 16-bit one's complement checksum of RFC 1071, over one or more byte ranges in sequence. */
public final class InternetChecksum {
  private long sum;
  private boolean odd;
  private int pendingHigh;

  public InternetChecksum add(byte[] data, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      int b = data[i] & 0xff;
      if (odd) {
        sum += (pendingHigh << 8) | b;
      } else {
        pendingHigh = b;
      }
      odd = !odd;
    }
    return this;
  }

  public InternetChecksum add(byte[] data) {
    return add(data, 0, data.length);
  }

  public InternetChecksum addShort(int value) {
    return add(new byte[] {(byte) (value >>> 8), (byte) value});
  }

  public InternetChecksum addInt(int value) {
    return add(
        new byte[] {
          (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
        });
  }

  /** The checksum to put on the wire; verifying a range that includes it yields 0. */
  public int value() {
    long s = sum + (odd ? (pendingHigh << 8) : 0);
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) (~s & 0xffff);
  }
}
