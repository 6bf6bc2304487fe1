package dev.vrrp.agent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in config files: 100ms, 1s, 1.5s, 2m. */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

  private Durations() {}

  /** Returns null when the text is not a duration. */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    double value = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2)) {
      case "ms" -> value;
      case "s" -> value * 1000;
      default -> value * 60_000;
    };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  public static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
