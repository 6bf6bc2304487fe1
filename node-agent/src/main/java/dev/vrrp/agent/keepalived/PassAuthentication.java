package dev.vrrp.agent.keepalived;

import dev.vrrp.packet.ProtocolLimits;

/**
 * The {@code authentication} block as the instance's PASS password, where keepalived would send
 * one: PASS, VRRPv2, with an {@code auth_pass}, its first 8 characters.
 */
final class PassAuthentication {
  private PassAuthentication() {}

  static void convert(
      ImportedInstance instance, Statement authType, Statement authPass, NoticeList notices) {
    if (authType == null && authPass == null) {
      return;
    }
    Statement anchor = authType != null ? authType : authPass;
    String type = authType == null ? null : authType.arg(0);
    // keepalived compares in capitals: "pass" is an unknown type, and it sends no authentication
    if ("AH".equals(type)) {
      notices.error(
          authType,
          "not converted: the agent has no AH (IPsec) authentication; use PASS or none on every"
              + " node");
      return;
    }
    if (!"PASS".equals(type)) {
      notices.warning(
          anchor,
          "not converted: keepalived knows only PASS and AH, in capitals, and sends no"
              + " authentication for "
              + (type == null ? "no auth_type" : "'" + type + "'"));
      return;
    }
    if (instance.version != 2) {
      notices.warning(
          anchor,
          "not converted: VRRPv3 has no authentication (keepalived ignores it with version 3"
              + " too)");
      return;
    }
    if (authPass == null || authPass.arg(0) == null) {
      notices.warning(
          anchor, "not converted: no auth_pass (keepalived then sends no authentication either)");
      return;
    }
    instance.origin("authentication", authType.words().get(0));
    instance.origin("authentication.password", authPass.words().get(0));
    String password = authPass.arg(0);
    if (password.length() > ProtocolLimits.MAX_PASSWORD_LENGTH) {
      password = password.substring(0, ProtocolLimits.MAX_PASSWORD_LENGTH);
      notices.warning(
          authPass,
          "longer than "
              + ProtocolLimits.MAX_PASSWORD_LENGTH
              + " characters: keepalived sends only the first "
              + ProtocolLimits.MAX_PASSWORD_LENGTH
              + ", and so does the converted config");
    }
    instance.password = password;
  }
}
