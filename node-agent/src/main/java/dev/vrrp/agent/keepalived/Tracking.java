package dev.vrrp.agent.keepalived;

import dev.vrrp.api.v1alpha1.HealthCheck;
import java.util.Map;

/**
 * An instance's {@code track_interface} and {@code track_script} items as health checks: the
 * interface's link, or the vrrp_script's command, each with the weight the item may give.
 */
final class Tracking {
  private Tracking() {}

  static void interfaces(Statement s, ImportedInstance instance, NoticeList notices) {
    for (Statement item : s.children()) {
      HealthCheck check = new HealthCheck();
      check.setType("interface");
      check.setName("interface-" + item.keyword());
      check.setInterfaceName(item.keyword());
      check.setWeight(weight(item, notices));
      add(instance, check, item);
    }
  }

  static void scripts(
      Statement s,
      Map<String, TrackScript> scripts,
      ImportedInstance instance,
      NoticeList notices) {
    for (Statement item : s.children()) {
      TrackScript script = scripts.get(item.keyword());
      if (script == null) {
        notices.error(item, "no vrrp_script of this name; the check is not converted");
        continue;
      }
      add(instance, script.check(weight(item, notices)), item);
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
