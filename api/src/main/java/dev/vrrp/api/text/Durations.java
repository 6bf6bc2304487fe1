package dev.vrrp.api.text;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar: numbers with a unit ({@code ms}, {@code s}, {@code m}, {@code h}),
 * decimals allowed ({@code 1.5s}), parts added up ({@code 1m30s}). It is a subset of Go's {@code
 * time.ParseDuration}, which the API server's CEL {@code duration()} uses, so whatever {@link
 * #PATTERN} admits the CEL rules can compute with.
 */
public final class Durations {
  /**
   * For {@code @Pattern} on every duration field of the CRD. At most six digits before and after
   * the point: with the CRD's 16 characters no text can overflow Go's duration, which CEL would
   * report as a conversion error naming no field.
   */
  public static final String PATTERN = "^([0-9]{1,6}([.][0-9]{1,6})?(ms|s|m|h))+$";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]{1,6}(?:[.][0-9]{1,6})?)(ms|s|m|h)");
  private static final String EXAMPLES = "like 100ms, 1s, 1.5s or 1m30s";

  private Durations() {}

  /** The duration, or empty when the text is not one. */
  public static Optional<Duration> tryParse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      BigDecimal unit =
          switch (part.group(2)) {
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "s" -> BigDecimal.valueOf(1_000_000_000L);
            case "m" -> BigDecimal.valueOf(60_000_000_000L);
            default -> BigDecimal.valueOf(3_600_000_000_000L);
          };
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(unit));
    }
    try {
      return Optional.of(
          Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact()));
    } catch (ArithmeticException tooLong) {
      return Optional.empty();
    }
  }

  /** The duration, or an {@link IllegalArgumentException} that quotes the text. */
  public static Duration parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException(problem(text)));
  }

  /** The message for text that is not a duration. */
  public static String problem(String text) {
    return "must be a duration " + EXAMPLES + ", got '" + text + "'";
  }

  /**
   * Short text that {@link #parse} reads back: {@code 2s} for whole seconds, else {@code 100ms}.
   */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
