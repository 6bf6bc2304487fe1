package dev.vrrp.agent.keepalived;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code global_defs} contributes: the default VRRP version and announcement schedule of every
 * instance. The rest of it configures the keepalived process, and is reported.
 */
final class GlobalDefaults {
  /** keepalived's default {@code vrrp_version}. */
  static final int KEEPALIVED_VERSION = 2;

  private static final Set<String> NOTIFICATIONS =
      Set.of(
          "notification_email",
          "notification_email_from",
          "smtp_server",
          "smtp_connect_timeout",
          "smtp_helo_name",
          "smtp_alert",
          "smtp_alert_vrrp",
          "smtp_alert_checker",
          "email_from");

  /** Where a node's state changes can be seen instead of mail or notify scripts. */
  static final String INSTEAD =
      "watch /state and /metrics on the admin address (standalone) or the VirtualIP's status and"
          + " Events (Kubernetes) instead";

  static final String MAIL = "not converted: the agent sends no notifications yet; " + INSTEAD;

  int version = KEEPALIVED_VERSION;
  Integer garpRepeat;
  Duration garpDelay;
  Duration garpRefresh;

  /** The global_defs keyword of each announcement default, by its field in our config. */
  final Map<String, Word> origins = new HashMap<>();

  void read(Statement globalDefs, NoticeList notices) {
    for (Statement s : globalDefs.children()) {
      String keyword = s.keyword();
      if (NOTIFICATIONS.contains(keyword)) {
        notices.warning(s, MAIL);
        continue;
      }
      switch (keyword) {
        case "router_id" ->
            notices.warning(
                s,
                "not needed: a standalone agent needs no name, on Kubernetes each agent reports"
                    + " as its node");
        case "vrrp_version" -> {
          Integer v = Numbers.integer(s, notices);
          if (v != null) {
            version = v;
          }
        }
        case "vrrp_garp_master_repeat" -> {
          garpRepeat = Numbers.integer(s, notices);
          origins.put("announce.repeat", s.words().get(0));
        }
        case "vrrp_garp_master_delay" -> {
          garpDelay = Numbers.seconds(s, notices);
          origins.put("announce.delay", s.words().get(0));
        }
        case "vrrp_garp_master_refresh" -> {
          garpRefresh = Numbers.seconds(s, notices);
          origins.put("announce.refresh", s.words().get(0));
        }
        case "script_user", "enable_script_security" ->
            notices.warning(
                s, "not converted: the agent runs its checks as its own user (root on a node)");
        case "vrrp_strict" ->
            notices.error(
                s,
                "strict mode is not converted: the agent neither refuses authentication nor"
                    + " drops traffic to the addresses");
        case "vrrp_mcast_group4", "vrrp_mcast_group6" ->
            notices.error(s, "not converted: the agent advertises to 224.0.0.18 and ff02::12 only");
        default ->
            notices.warning(s, "not converted: a setting of the keepalived process, not of VRRP");
      }
    }
  }
}
