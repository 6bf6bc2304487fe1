package dev.vrrp.packet;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * What the wire format allows, stated once: the VRID and priority ranges, the address count, the
 * advertisement interval of each version and the VRRPv2 password. The VirtualIP rules and the
 * standalone config check their fields against these; the codec enforces the same numbers.
 */
public final class ProtocolLimits {
  public static final int MIN_VRID = 1;
  public static final int MAX_VRID = 255;
  public static final int MIN_PRIORITY = 1;

  /** The VRID range as the messages and the operator's range setting write it: {@code 1-255}. */
  public static final String VRID_RANGE = MIN_VRID + "-" + MAX_VRID;

  /** RFC 5798 5.2.4: 255 belongs to the router that owns the addresses. */
  public static final int OWNER_PRIORITY = 255;

  /** The highest priority a router that does not own the addresses may have. */
  public static final int MAX_BACKUP_PRIORITY = 254;

  /** The address count field is one byte. */
  public static final int MAX_ADDRESSES = 255;

  /** RFC 3768 5.3.10: eight bytes of authentication data. */
  public static final int MAX_PASSWORD_LENGTH = Advertisement.V2_AUTH_DATA_LENGTH;

  private static final Duration V3_MIN = Duration.ofMillis(10);
  private static final Duration V3_MAX =
      Duration.ofMillis(Advertisement.V3_MAX_INTERVAL_CENTIS * 10L);
  private static final Duration V2_MIN = Duration.ofSeconds(1);
  private static final Duration V2_MAX = Duration.ofSeconds(Advertisement.V2_MAX_INTERVAL_SECONDS);

  private ProtocolLimits() {}

  /** Whether {@code vrid} fits the one-byte VRID field and is not the reserved 0. */
  public static boolean allowsVrid(int vrid) {
    return vrid >= MIN_VRID && vrid <= MAX_VRID;
  }

  /** Whether {@code version} is a VRRP version we speak (2: RFC 3768, 3: RFC 5798). */
  public static boolean knownVersion(int version) {
    return version == 2 || version == 3;
  }

  /**
   * RFC 5798 5.2.7: VRRPv3 carries the interval in centiseconds in 12 bits (10 ms - 40950 ms); RFC
   * 3768 5.3.7: VRRPv2 in whole seconds in 8 bits (1 s - 255 s).
   */
  public static boolean allowsInterval(int version, Duration interval) {
    if (version == 2) {
      return interval.compareTo(V2_MIN) >= 0
          && interval.compareTo(V2_MAX) <= 0
          && interval.toNanos() % 1_000_000_000L == 0;
    }
    return interval.compareTo(V3_MIN) >= 0
        && interval.compareTo(V3_MAX) <= 0
        && interval.toNanos() % 10_000_000L == 0;
  }

  /** What {@link #allowsInterval} wants, as the start of an error message. */
  public static String intervalRule(int version) {
    return version == 2
        ? "VRRPv2 needs whole seconds 1s-255s"
        : "VRRPv3 needs 10ms-40950ms in steps of 10ms";
  }

  /** Why a VRRPv2 simple text password cannot go on the wire, or empty when it can. */
  public static Optional<String> passwordProblem(String password) {
    if (password == null || password.isEmpty()) {
      return Optional.of("must be 1-" + MAX_PASSWORD_LENGTH + " characters, got none");
    }
    if (!password.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return Optional.of("must be printable ASCII");
    }
    int length = password.getBytes(StandardCharsets.US_ASCII).length;
    if (length > MAX_PASSWORD_LENGTH) {
      return Optional.of("must be 1-" + MAX_PASSWORD_LENGTH + " characters, got " + length);
    }
    return Optional.empty();
  }
}
