package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerdictFoldTest {
  @Test
  void noChecksIsHealthy() {
    assertThat(VerdictFold.fold(List.of())).isEqualTo(HealthVerdict.HEALTHY);
  }

  @Test
  void positiveWeightCountsWhileHealthy() {
    assertThat(VerdictFold.fold(List.of(state("web", true, 10))))
        .isEqualTo(new HealthVerdict(10, Set.of()));
    assertThat(VerdictFold.fold(List.of(state("web", false, 10)))).isEqualTo(HealthVerdict.HEALTHY);
  }

  @Test
  void negativeWeightCountsWhileFailing() {
    assertThat(VerdictFold.fold(List.of(state("db", false, -20))))
        .isEqualTo(new HealthVerdict(-20, Set.of()));
    assertThat(VerdictFold.fold(List.of(state("db", true, -20)))).isEqualTo(HealthVerdict.HEALTHY);
  }

  @Test
  void zeroWeightFailingMeansFault() {
    HealthVerdict verdict =
        VerdictFold.fold(List.of(state("gateway", false, 0), state("link", true, 0)));

    assertThat(verdict.faultingChecks()).containsExactly("gateway");
    assertThat(verdict.faulted()).isTrue();
    assertThat(verdict.priorityDelta()).isZero();
  }

  @Test
  void weightsAddUpAndFaultsAreListedInNameOrder() {
    HealthVerdict verdict =
        VerdictFold.fold(
            List.of(
                state("web", true, 10),
                state("cache", true, 5),
                state("db", false, -20),
                state("backup", false, -3),
                state("spare", false, 7),
                state("link", false, 0),
                state("gateway", false, 0)));

    assertThat(verdict.priorityDelta()).isEqualTo(10 + 5 - 20 - 3);
    assertThat(verdict.faultingChecks()).containsExactly("gateway", "link");
  }

  @Test
  void aFileCheckAddsItsNumberTimesItsWeightAndFaultsBelowMinus253() {
    assertThat(VerdictFold.fold(List.of(file("maintenance", 3, 10))))
        .isEqualTo(new HealthVerdict(30, Set.of()));
    assertThat(VerdictFold.fold(List.of(file("maintenance", 5, -50))))
        .isEqualTo(new HealthVerdict(-250, Set.of()));
    assertThat(VerdictFold.fold(List.of(file("maintenance", -2, 127))).faultingChecks())
        .as("-254")
        .containsExactly("maintenance");
  }

  @Test
  void aFileCheckWithWeightZeroFaultsOnAnythingButZero() {
    assertThat(VerdictFold.fold(List.of(file("flag", 0, 0)))).isEqualTo(HealthVerdict.HEALTHY);
    assertThat(
            VerdictFold.fold(
                    List.of(new CheckState("flag", "FILE", false, "", 0, Instant.EPOCH, 7L)))
                .faultingChecks())
        .containsExactly("flag");
  }

  @Test
  void anUnreadableFileCountsAsAFailingCheck() {
    assertThat(
            VerdictFold.fold(
                List.of(
                    new CheckState("flag", "FILE", false, "missing", -20, Instant.EPOCH, null))))
        .isEqualTo(new HealthVerdict(-20, Set.of()));
  }

  private static CheckState file(String name, long value, int weight) {
    return new CheckState(name, "FILE", value == 0, "", weight, Instant.EPOCH, value);
  }

  private static CheckState state(String name, boolean healthy, int weight) {
    return new CheckState(name, "EXEC", healthy, "", weight, Instant.EPOCH);
  }
}
