package dev.vrrp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimersTest {

  // RFC 5798 6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256
  @ParameterizedTest(name = "v3 priority {0} interval {1}ms -> skew {2}us")
  @CsvSource({
    "100, 1000, 609375",
    "254, 1000, 7812",
    "1, 1000, 996093",
    "200, 1000, 218750",
    "100, 100, 60937",
    "250, 100, 2343",
    "255, 100, 390",
    "100, 40950, 24953906"
  })
  void v3SkewTimeFollowsRfc5798(int priority, long intervalMs, long expectedMicros) {
    Duration interval = Duration.ofMillis(intervalMs);
    long exactNumerator = (256L - priority) * intervalMs * 1000;
    assertThat(expectedMicros).isEqualTo(exactNumerator / 256);
    assertThat(Timers.skewTime(3, priority, interval))
        .isEqualTo(Duration.ofNanos(expectedMicros * 1000));
  }

  // RFC 5798 6.1: Master_Down_Interval = (3 * Master_Adver_Interval) + Skew_Time
  @ParameterizedTest(name = "v3 priority {0} interval {1}ms -> master down {2}us")
  @CsvSource({"100, 1000, 3609375", "250, 100, 302343", "100, 100, 360937", "1, 10, 39960"})
  void v3MasterDownInterval(int priority, long intervalMs, long expectedMicros) {
    assertThat(Timers.masterDownInterval(3, priority, Duration.ofMillis(intervalMs)))
        .isEqualTo(Duration.ofNanos(expectedMicros * 1000));
  }

  // RFC 3768 6.1: Skew_Time = (256 - Priority) / 256 seconds; Master_Down_Interval = 3 *
  // Advertisement_Interval + Skew_Time
  @ParameterizedTest(name = "v2 priority {0} interval {1}s -> master down {2}us")
  @CsvSource({"100, 1, 3609375", "100, 3, 9609375", "254, 1, 3007812", "1, 255, 765996093"})
  void v2TimersIgnoreTheIntervalInTheSkew(int priority, long intervalSeconds, long expectedMicros) {
    Duration interval = Duration.ofSeconds(intervalSeconds);
    assertThat(Timers.skewTime(2, priority, interval))
        .isEqualTo(Duration.ofNanos((256L - priority) * 1_000_000L / 256 * 1000));
    assertThat(Timers.masterDownInterval(2, priority, interval))
        .isEqualTo(Duration.ofNanos(expectedMicros * 1000));
  }

  @ParameterizedTest
  @CsvSource({"1, 10", "100, 1000", "4095, 40950"})
  void centisecondsConvert(int centis, long millis) {
    assertThat(Timers.centis(centis)).isEqualTo(Duration.ofMillis(millis));
    assertThat(Timers.toCentis(Duration.ofMillis(millis))).isEqualTo(centis);
  }
}
