package dev.vrrp.agent.keepalived;

import java.util.regex.Pattern;

/**
 * keepalived's whole numbers. Only the syntax is checked here; the ranges are our rules', applied
 * to the converted config.
 */
final class Numbers {
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,9}");

  private Numbers() {}

  /** The statement's first argument as a number, or null after an error notice. */
  static Integer integer(Statement statement, NoticeList notices) {
    String text = statement.arg(0);
    if (text == null || !INTEGER.matcher(text).matches()) {
      notices.error(
          statement, "needs a whole number, got " + (text == null ? "nothing" : "'" + text + "'"));
      return null;
    }
    return Integer.parseInt(text);
  }

  /**
   * A definition block's {@code weight W [reverse]}: the number, or null after an error notice;
   * {@code reverse}, which has no equivalent, is reported.
   */
  static Integer weight(Statement statement, NoticeList notices) {
    Integer weight = integer(statement, notices);
    if ("reverse".equals(statement.arg(1))) {
      notices.error(statement, TrackScript.REVERSE);
    }
    return weight;
  }

  /**
   * The statement's first argument as seconds (decimals allowed), or null after an error notice.
   */
  static java.time.Duration seconds(Statement statement, NoticeList notices) {
    String text = statement.arg(0);
    var seconds = Seconds.parse(text);
    if (seconds.isEmpty()) {
      notices.error(
          statement,
          "needs seconds like 1 or 0.5, got " + (text == null ? "nothing" : "'" + text + "'"));
      return null;
    }
    return seconds.get();
  }

  /** Words after those a keyword takes: keepalived reads one keyword per line and ignores them. */
  static void extraWords(Statement statement, int expected, NoticeList notices) {
    if (statement.args().size() > expected) {
      notices.warning(
          statement,
          "ignored the words after "
              + (expected == 0 ? statement.keyword() : statement.arg(expected - 1))
              + " (keepalived reads one keyword per line)");
    }
  }
}
