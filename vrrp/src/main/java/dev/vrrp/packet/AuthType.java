package dev.vrrp.packet;

/** VRRPv2 (RFC 3768 5.3.6) authentication types. VRRPv3 removed authentication. */
public enum AuthType {
  NONE(0),
  /** Simple text password, keepalived's {@code auth_type PASS}: up to 8 bytes, zero padded. */
  SIMPLE_TEXT(1),
  /** IP Authentication Header; deprecated by RFC 3768 and never used by this engine. */
  IP_AH(2);

  private final int code;

  AuthType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static AuthType fromCode(int code) {
    for (AuthType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    return null;
  }
}
