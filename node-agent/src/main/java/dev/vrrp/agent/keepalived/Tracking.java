package dev.vrrp.agent.keepalived;

import dev.vrrp.api.v1alpha1.HealthCheck;
import java.util.Map;

/**
 * An instance's {@code track_interface}, {@code track_script}, {@code track_file} and {@code
 * track_process} items as health checks, each with the weight the item may give.
 */
final class Tracking {
  private Tracking() {}

  /**
   * @param syncGroup the instance's sync group when keepalived ignores its tracking weights, or
   *     null
   */
  static void interfaces(
      Statement s, String syncGroup, ImportedInstance instance, NoticeList notices) {
    for (Statement item : s.children()) {
      HealthCheck check = new HealthCheck();
      check.setType("interface");
      check.setName("interface-" + item.keyword());
      check.setInterfaceName(item.keyword());
      Integer weight = weight(item, notices);
      if (syncGroup != null && weight != null && weight != 0) {
        notices.info(
            item,
            "keepalived ignores the weight in sync group "
                + syncGroup
                + " (a link down means FAULT), and so does the converted check");
        weight = null;
      }
      check.setWeight(weight);
      add(instance, check, item);
    }
  }

  /**
   * An instance's {@code track_script}, {@code track_file} or {@code track_process} items: each
   * names a block of {@code kind}, which becomes its check.
   */
  static void tracked(
      Statement s,
      Map<String, ? extends Tracked> defined,
      String kind,
      String syncGroup,
      ImportedInstance instance,
      NoticeList notices) {
    for (Statement item : s.children()) {
      Tracked tracked = defined.get(item.keyword());
      if (tracked == null) {
        notices.error(item, "no " + kind + " of this name; the check is not converted");
        continue;
      }
      HealthCheck check = tracked.check(weight(item, notices));
      if (syncGroup != null && check.getWeight() != null && check.getWeight() != 0) {
        notices.info(
            item,
            kind.equals("vrrp_script")
                ? "keepalived does not run a weighted script in sync group "
                    + syncGroup
                    + " (it logs 'ignoring tracked script with weights'); not converted either"
                : "keepalived wants weight 0 for a "
                    + kind
                    + " in sync group "
                    + syncGroup
                    + " without sync_group_tracking_weight; not converted");
        continue;
      }
      add(instance, check, item);
    }
  }

  /** An item's {@code weight W [reverse]}, or null when it gives none. */
  private static Integer weight(Statement item, NoticeList notices) {
    if (!"weight".equals(item.arg(0))) {
      if (!item.args().isEmpty()) {
        notices.error(item, "ignored " + item.arg(0) + ": only a weight can follow the name");
      }
      return null;
    }
    String text = item.arg(1);
    if (text == null || !text.matches("-?[0-9]{1,9}")) {
      notices.error(
          item,
          "weight needs a whole number, got " + (text == null ? "nothing" : "'" + text + "'"));
      return null;
    }
    if ("reverse".equals(item.arg(2))) {
      notices.error(item, TrackScript.REVERSE);
    }
    return Integer.parseInt(text);
  }

  private static void add(ImportedInstance instance, HealthCheck check, Statement item) {
    instance.origin("track[" + instance.track.size() + "]", item.words().get(0));
    instance.track.add(check);
  }
}
