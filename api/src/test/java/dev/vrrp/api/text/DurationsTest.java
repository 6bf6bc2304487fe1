package dev.vrrp.api.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "100ms, 100",
    "1s, 1000",
    "1.5s, 1500",
    "2m, 120000",
    "1h, 3600000",
    "1m30s, 90000",
    "1h1m1s1ms, 3661001",
    "0s, 0",
    "0.25s, 250",
    "1.5ms, 1.5"
  })
  void readsEveryUnitDecimalsAndCombinations(String text, double millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(Math.round(millis * 1_000_000)));
    assertThat(text)
        .as("the CRD pattern admits what the parser reads")
        .matches(Pattern.compile(Durations.PATTERN));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10",
        "s",
        "1.s",
        ".5s",
        "1 s",
        "1sec",
        "100us",
        "-1s",
        "1m-30s",
        "1S",
        "1234567s",
        "1.1234567s"
      })
  void refusesWhatThePatternRefuses(String text) {
    assertThat(Durations.tryParse(text)).isEmpty();
    assertThat(text).doesNotMatch(Pattern.compile(Durations.PATTERN));
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must be a duration like 100ms, 1s, 1.5s or 1m30s, got '" + text + "'");
  }

  @ParameterizedTest
  @CsvSource({"1000, 1s", "100, 100ms", "90000, 90s", "1500, 1500ms"})
  void formatsSoThatItReadsBack(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }
}
