package dev.vrrp.agent.keepalived;

import dev.vrrp.api.text.Durations;
import dev.vrrp.packet.Advertisement;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * keepalived's times: seconds, decimals allowed ({@code advert_int 0.5}, {@code preempt_delay
 * 4.12}). Read through our duration grammar, so a time we print is one our config reads back.
 */
final class Seconds {
  private static final Pattern NUMBER = Pattern.compile("[0-9]+([.][0-9]+)?");

  private Seconds() {}

  static Optional<Duration> parse(String text) {
    if (text == null || !NUMBER.matcher(text).matches()) {
      return Optional.empty();
    }
    return Durations.tryParse(text + "s");
  }

  static String format(Duration duration) {
    return Durations.format(duration);
  }

  /**
   * The advertisement interval keepalived actually sends (vrrp_complete_instance): a VRRPv2
   * interval rounded to whole seconds and at most 255 s, a VRRPv3 one rounded to 10 ms and at most
   * 40.95 s, never 0.
   */
  static Duration advertisementInterval(Duration given, int version) {
    long step = version == 2 ? 1000 : 10;
    long max =
        version == 2
            ? Advertisement.V2_MAX_INTERVAL_SECONDS * 1000L
            : Advertisement.V3_MAX_INTERVAL_CENTIS * 10L;
    long millis = given.toMillis();
    if (millis > max) {
      return Duration.ofMillis(max);
    }
    long rounded = (millis + step / 2) / step * step;
    return Duration.ofMillis(Math.max(rounded, step));
  }
}
