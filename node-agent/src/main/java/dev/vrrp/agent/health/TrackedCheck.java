package dev.vrrp.agent.health;

import dev.vrrp.agent.config.CheckSettings;
import java.time.Instant;

/**
 * One check's hysteresis and the state it reports. Not thread-safe; the tracker serialises results.
 */
final class TrackedCheck {
  private final CheckSettings settings;
  private final FallRiseCounter counter;
  private CheckState state;

  TrackedCheck(CheckSettings settings, Instant trackingStarted) {
    this.settings = settings;
    this.counter = new FallRiseCounter(settings.fall(), settings.rise());
    this.state =
        new CheckState(
            settings.name(),
            settings.type().name(),
            false,
            "waiting for the first probe",
            settings.weight(),
            trackingStarted);
  }

  /**
   * Folds in one probe result; returns true when the check turned healthy or failing (or got its
   * first state).
   */
  boolean apply(ProbeResult result, Instant now) {
    boolean changed = counter.record(result.ok());
    String detail = result.detail();
    if (counter.streak() > 0) {
      // Say how close a flip is, so /state explains why a failing probe has not failed the check
      // yet.
      detail +=
          " ("
              + counter.streak()
              + " of "
              + counter.needed()
              + " towards "
              + (counter.healthy() ? "failing" : "healthy")
              + ")";
    }
    state =
        new CheckState(
            state.name(),
            state.type(),
            counter.healthy(),
            detail,
            state.weight(),
            changed ? now : state.since(),
            result.value());
    return changed;
  }

  /** False until the first probe has answered; an unknown check does not count in the verdict. */
  boolean known() {
    return counter.known();
  }

  CheckState state() {
    return state;
  }

  CheckSettings settings() {
    return settings;
  }
}
