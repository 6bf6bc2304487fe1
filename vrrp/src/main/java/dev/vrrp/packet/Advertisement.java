package dev.vrrp.packet;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP advertisement, version 2 (RFC 3768) or 3 (RFC 5798), as fields rather than bytes.
 *
 * <p>The interval is kept in centiseconds for both versions so the engine has one unit; VRRPv2
 * carries whole seconds on the wire, so a v2 interval must be a multiple of 100.
 *
 * @param authData VRRPv2 authentication data, 8 bytes; empty for VRRPv3 and for v2 auth type NONE
 */
public record Advertisement(
    int version,
    int virtualRouterId,
    int priority,
    int intervalCentis,
    List<InetAddress> addresses,
    AuthType authType,
    byte[] authData) {

  public static final int TYPE_ADVERTISEMENT = 1;
  public static final int V2_AUTH_DATA_LENGTH = 8;
  public static final int V3_MAX_INTERVAL_CENTIS = 4095;
  public static final int V2_MAX_INTERVAL_SECONDS = 255;

  public Advertisement {
    if (version != 2 && version != 3) {
      throw new IllegalArgumentException("version must be 2 or 3, got " + version);
    }
    if (virtualRouterId < 1 || virtualRouterId > 255) {
      throw new IllegalArgumentException("virtualRouterId must be 1-255, got " + virtualRouterId);
    }
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("priority must be 0-255, got " + priority);
    }
    if (version == 3 && (intervalCentis < 1 || intervalCentis > V3_MAX_INTERVAL_CENTIS)) {
      throw new IllegalArgumentException(
          "v3 interval must be 1-4095 centiseconds, got " + intervalCentis);
    }
    if (version == 2
        && (intervalCentis % 100 != 0
            || intervalCentis < 100
            || intervalCentis > V2_MAX_INTERVAL_SECONDS * 100)) {
      throw new IllegalArgumentException(
          "v2 interval must be whole seconds 1-255, got " + intervalCentis + "cs");
    }
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty() || addresses.size() > 255) {
      throw new IllegalArgumentException("must carry 1-255 addresses, got " + addresses.size());
    }
    IpFamily family = IpFamily.of(addresses.get(0));
    for (InetAddress address : addresses) {
      if (IpFamily.of(address) != family) {
        throw new IllegalArgumentException("addresses mix IPv4 and IPv6: " + addresses);
      }
    }
    if (version == 2 && family != IpFamily.IPV4) {
      throw new IllegalArgumentException("VRRPv2 carries IPv4 addresses only");
    }
    Objects.requireNonNull(authType, "authType");
    authData = authData == null ? new byte[0] : authData.clone();
    if (version == 3 && (authType != AuthType.NONE || authData.length != 0)) {
      throw new IllegalArgumentException("VRRPv3 has no authentication");
    }
    if (version == 2 && authType != AuthType.NONE && authData.length != V2_AUTH_DATA_LENGTH) {
      throw new IllegalArgumentException("v2 auth data must be 8 bytes, got " + authData.length);
    }
  }

  /** A VRRPv3 advertisement. */
  public static Advertisement v3(
      int vrid, int priority, int intervalCentis, List<InetAddress> addresses) {
    return new Advertisement(
        3, vrid, priority, intervalCentis, addresses, AuthType.NONE, new byte[0]);
  }

  /** A VRRPv2 advertisement; {@code password} null means auth type NONE, otherwise simple text. */
  public static Advertisement v2(
      int vrid, int priority, int intervalSeconds, List<InetAddress> addresses, String password) {
    if (password == null) {
      return new Advertisement(
          2, vrid, priority, intervalSeconds * 100, addresses, AuthType.NONE, new byte[0]);
    }
    return new Advertisement(
        2,
        vrid,
        priority,
        intervalSeconds * 100,
        addresses,
        AuthType.SIMPLE_TEXT,
        passwordBytes(password));
  }

  /** RFC 3768 5.3.10: the password zero padded to 8 bytes; longer passwords are refused. */
  public static byte[] passwordBytes(String password) {
    byte[] raw = password.getBytes(StandardCharsets.US_ASCII);
    if (raw.length > V2_AUTH_DATA_LENGTH) {
      throw new IllegalArgumentException(
          "a PASS password has at most 8 characters, got " + raw.length);
    }
    return Arrays.copyOf(raw, V2_AUTH_DATA_LENGTH);
  }

  public IpFamily family() {
    return IpFamily.of(addresses.get(0));
  }

  /** The same advertisement with another priority, e.g. 0 for a resignation. */
  public Advertisement withPriority(int newPriority) {
    return new Advertisement(
        version, virtualRouterId, newPriority, intervalCentis, addresses, authType, authData);
  }

  @Override
  public byte[] authData() {
    return authData.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Advertisement that
        && version == that.version
        && virtualRouterId == that.virtualRouterId
        && priority == that.priority
        && intervalCentis == that.intervalCentis
        && addresses.equals(that.addresses)
        && authType == that.authType
        && Arrays.equals(authData, that.authData);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, virtualRouterId, priority, intervalCentis, addresses, authType)
            * 31
        + Arrays.hashCode(authData);
  }

  @Override
  public String toString() {
    return "Advertisement[v"
        + version
        + " vrid="
        + virtualRouterId
        + " priority="
        + priority
        + " interval="
        + intervalCentis
        + "cs addresses="
        + addresses
        + " auth="
        + authType
        + "]";
  }
}
