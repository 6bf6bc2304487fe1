package dev.vrrp.packet;

/** Why a received packet is not a valid advertisement; one reason, one human detail. */
public record DecodeError(Reason reason, String detail) {

  /** Every way decoding can fail; agents count dropped packets by this reason. */
  public enum Reason {
    TOO_SHORT,
    BAD_TTL,
    BAD_VERSION,
    BAD_TYPE,
    BAD_VRID,
    BAD_LENGTH,
    BAD_ADDRESS_COUNT,
    BAD_CHECKSUM,
    BAD_AUTH_TYPE,
    BAD_INTERVAL,
    BAD_IP_HEADER,
    NOT_VRRP
  }

  @Override
  public String toString() {
    return reason + ": " + detail;
  }
}
