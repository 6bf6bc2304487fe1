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

  private static CheckState state(String name, boolean healthy, int weight) {
    return new CheckState(name, "EXEC", healthy, "", weight, Instant.EPOCH);
  }
}
