package dev.vrrp.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FallRiseCounterTest {
  @Test
  void firstSuccessMakesTheCheckHealthyAtOnce() {
    FallRiseCounter counter = new FallRiseCounter(3, 3);
    assertThat(counter.known()).isFalse();

    assertThat(counter.record(true)).as("changed").isTrue();

    assertThat(counter.known()).isTrue();
    assertThat(counter.healthy()).isTrue();
  }

  @Test
  void firstFailureMakesTheCheckFailingAtOnce() {
    FallRiseCounter counter = new FallRiseCounter(3, 3);

    assertThat(counter.record(false)).as("changed").isTrue();

    assertThat(counter.healthy()).isFalse();
  }

  @Test
  void healthyTurnsFailingOnTheFallthFailureInARow() {
    FallRiseCounter counter = new FallRiseCounter(3, 2);
    counter.record(true);

    assertThat(counter.record(false)).isFalse();
    assertThat(counter.record(false)).isFalse();
    assertThat(counter.healthy()).isTrue();
    assertThat(counter.streak()).isEqualTo(2);
    assertThat(counter.record(false)).isTrue();
    assertThat(counter.healthy()).isFalse();
    assertThat(counter.streak()).isZero();
  }

  @Test
  void failingTurnsHealthyOnTheRisethSuccessInARow() {
    FallRiseCounter counter = new FallRiseCounter(1, 3);
    counter.record(false);

    assertThat(counter.record(true)).isFalse();
    assertThat(counter.record(true)).isFalse();
    assertThat(counter.record(true)).isTrue();
    assertThat(counter.healthy()).isTrue();
  }

  @Test
  void aResultAgreeingWithTheStateStartsTheCountAgain() {
    FallRiseCounter counter = new FallRiseCounter(2, 2);
    counter.record(true);

    counter.record(false);
    counter.record(true); // interrupts the run of failures
    assertThat(counter.record(false)).isFalse();
    assertThat(counter.healthy()).isTrue();
    assertThat(counter.record(false)).isTrue();

    counter.record(true);
    counter.record(false); // interrupts the run of successes
    assertThat(counter.record(true)).isFalse();
    assertThat(counter.record(true)).isTrue();
  }

  @Test
  void fallAndRiseOfOneFollowEveryResult() {
    FallRiseCounter counter = new FallRiseCounter(1, 1);
    counter.record(true);

    assertThat(counter.record(false)).isTrue();
    assertThat(counter.record(false)).isFalse();
    assertThat(counter.record(true)).isTrue();
    assertThat(counter.record(true)).isFalse();
  }

  @Test
  void needsAtLeastOneResultToFlip() {
    assertThatThrownBy(() -> new FallRiseCounter(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FallRiseCounter(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
